package funds

import "time"

// DemoProgrammes are the seeds' two programmes as the demo city runs them,
// opening on day now: the multi-child education support points and the
// youth culture pass. The amounts are those reported at the 2024 launch;
// a real city sets its own.
func DemoProgrammes(now time.Time) []Programme {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return []Programme{{
		Slug:          "multi-child-education",
		NameKo:        "다자녀 가정 교육지원 포인트 (시연)",
		NameEn:        "Multi-child family education points (demo)",
		DescriptionKo: "19세 미만 자녀가 둘이면 30만 원, 셋 이상이면 50만 원어치 교육 포인트를 가구마다 드립니다.",
		DescriptionEn: "Education points for each household: 300,000 KRW with two children under 19, 500,000 KRW with three or more.",
		WhoKo:         "19세 미만 자녀가 둘 이상인 가구 (가구당 한 번)",
		WhoEn:         "Households with two or more children under 19 (once per household)",
		Budget:        3_000_000_000,
		Eligibility:   "children_under_19 >= 2",
		Benefit:       "children_under_19 >= 3 ? 500000 : 300000",
		Unit:          PerHousehold,
		Mode:          OnApplication,
		Categories:    []string{"education", "books"},
		OpensAt:       day,
		ClosesAt:      day.AddDate(0, 3, 0),
		PointsExpire:  day.AddDate(1, 0, 0),
	}, {
		Slug:          "youth-culture-pass",
		NameKo:        "청년 만원 문화패스 (시연)",
		NameEn:        "Youth 10,000-won culture pass (demo)",
		DescriptionKo: "만 19~34세 청년 선착순 5,000명이 1만 원을 내면 10만 원어치 문화 포인트를 받습니다.",
		DescriptionEn: "The first 5,000 young people aged 19 to 34 pay 10,000 KRW and receive 100,000 KRW of culture points.",
		WhoKo:         "만 19세부터 34세까지의 청년, 선착순 5,000명",
		WhoEn:         "Young people aged 19 to 34, the first 5,000 to apply",
		Budget:        500_000_000,
		Eligibility:   "age >= 19 && age <= 34",
		Benefit:       "100000",
		Quota:         5000,
		CoPayment:     10_000,
		Unit:          PerPerson,
		Mode:          OnApplication,
		Categories:    []string{"performance", "exhibition", "cinema", "books", "music"},
		OpensAt:       day,
		ClosesAt:      day.AddDate(0, 1, 0),
		PointsExpire:  day.AddDate(0, 6, 0),
	}}
}
