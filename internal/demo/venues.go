package demo

import (
	"fmt"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/learn"
)

// venues are the two real hubs, a real partner site, and generated district
// centres and experience zones (labelled as demo).
func venues() []learn.Venue {
	vs := []learn.Venue{
		{Slug: "hub-sodambang", Kind: "hub", District: "21150", NameKo: "디지털배움터 소담방 (부산도서관 2층)", NameEn: "Sodambang Digital Hub (Busan Library, 2nd floor)",
			AddressKo: "부산광역시 사상구 사상로 310, 부산도서관 2층", AddressEn: "2F Busan Library, 310 Sasang-ro, Sasang-gu, Busan",
			AccessKo: "엘리베이터와 장애인 화장실이 있습니다. 휠체어로 교육장까지 갈 수 있습니다.", AccessEn: "Lift and accessible toilets. Step-free to the classroom.",
			Phone: "1800-0096", Demo: true},
		{Slug: "hub-eurasia", Kind: "hub", District: "21030", NameKo: "부산유라시아플랫폼 112호", NameEn: "Busan Eurasia Platform, Room 112",
			AddressKo: "부산광역시 동구 중앙대로 206, 부산역 유라시아플랫폼 1층 112호", AddressEn: "Room 112, 1F Eurasia Platform, Busan Station, 206 Jungang-daero, Dong-gu",
			AccessKo: "부산역과 바로 이어집니다. 엘리베이터가 있습니다.", AccessEn: "Connected to Busan Station; lift available.",
			Phone: "1800-0096", Demo: true},
		{Slug: "partner-shinhan-hakijae", Kind: "partner", District: "21050", NameKo: "신한 학이재 부산 (신한은행 빌딩 2층)", NameEn: "Shinhan Hakijae Busan (Shinhan Bank Building, 2F)",
			AddressKo: "부산광역시 부산진구 새싹로 6, 2층", AddressEn: "2F, 6 Saessak-ro, Busanjin-gu, Busan", Demo: true},
	}
	for _, d := range city.Districts() {
		vs = append(vs, learn.Venue{
			Slug: "centre-" + d.Code, Kind: "district_centre", District: d.Code,
			NameKo: d.NameKo + " 디지털배움터 교육장 (시연)", NameEn: d.NameEn + " Digital Learning Room (demo)",
			AddressKo: "부산광역시 " + d.NameKo + " 구청 별관 교육장 (시연 주소)", AddressEn: d.NameEn + " office annex, training room (demo address)",
			AccessKo: "1층 교육장, 경사로 있음 (시연)", AccessEn: "Ground-floor room with ramp (demo)", Phone: "1800-0096", Demo: true,
		})
	}
	zones := []struct{ district, ko, en string }{
		{"21010", "중구청 민원실", "Jung-gu office service hall"}, {"21020", "서구 노인복지관", "Seo-gu senior welfare centre"},
		{"21030", "부산역 유라시아플랫폼", "Busan Station Eurasia Platform"}, {"21040", "영도구 주민센터", "Yeongdo-gu community centre"},
		{"21050", "부산시민공원 방문자센터", "Busan Citizens Park visitor centre"}, {"21050", "서면 지하도상가", "Seomyeon underground arcade"},
		{"21060", "동래구 평생학습관", "Dongnae lifelong learning centre"}, {"21070", "남구 종합사회복지관", "Nam-gu community welfare centre"},
		{"21080", "북구 디지털도서관", "Buk-gu digital library"}, {"21090", "해운대구 노인복지관", "Haeundae senior welfare centre"},
		{"21100", "사하구 다대포 주민센터", "Dadaepo community centre, Saha-gu"}, {"21110", "금정구 부산대역 광장", "Pusan National Univ. station square, Geumjeong-gu"},
		{"21120", "강서구 명지 복합센터", "Myeongji civic centre, Gangseo-gu"}, {"21130", "부산시청 1층 로비", "Busan City Hall lobby"},
		{"21140", "수영구 광안리 주민센터", "Gwangalli community centre, Suyeong-gu"}, {"21150", "부산도서관 1층", "Busan Library, ground floor"},
		{"21310", "기장군 종합사회복지관", "Gijang community welfare centre"},
	}
	for i, z := range zones {
		hoursKo, hoursEn := "평일 10:00–17:00 (12:00–13:00 점심시간)", "Weekdays 10:00–17:00 (closed 12:00–13:00)"
		if i%3 == 1 {
			hoursKo, hoursEn = "화–토 10:00–18:00", "Tue–Sat 10:00–18:00"
		}
		vs = append(vs, learn.Venue{
			Slug: fmt.Sprintf("zone-%02d", i+1), Kind: "experience_zone", District: z.district,
			NameKo: "디지털 체험존 · " + z.ko, NameEn: "Digital experience zone · " + z.en,
			AddressKo: z.ko + " (시연 주소)", AddressEn: z.en + " (demo address)",
			HoursKo: hoursKo, HoursEn: hoursEn,
			AccessKo: "키오스크·스마트폰 체험, 안내사 상주 (시연)", AccessEn: "Kiosks and phones to try; a guide is on hand (demo)", Demo: true,
		})
	}
	return vs
}
