package city

import (
	"cmp"
	"slices"
)

// District is one of Busan's 15 districts (구) or its county (군).
type District struct {
	// Code is the KOSTAT 2013 administrative code, the key that the
	// boundary data and every district-level statistic share.
	Code   string
	NameKo string
	NameEn string
	// Population is an approximate resident population for 2024, rounded
	// to the thousand. It is good enough to weight demo data and must not
	// be shown as an official statistic.
	Population int
	// Centroid is the area-weighted centre of the district's boundary as
	// {longitude, latitude}. For a concave district it can fall outside
	// the boundary, so it suits placing a label, not a point-in-district test.
	Centroid [2]float64
}

// districtTable is the authority for names: the boundary file's English
// names may lag behind the official romanisation, and the names must not
// change when the boundaries are replaced by a newer release.
var districtTable = []District{
	{Code: "21010", NameKo: "중구", NameEn: "Jung-gu", Population: 39000},
	{Code: "21020", NameKo: "서구", NameEn: "Seo-gu", Population: 104000},
	{Code: "21030", NameKo: "동구", NameEn: "Dong-gu", Population: 88000},
	{Code: "21040", NameKo: "영도구", NameEn: "Yeongdo-gu", Population: 107000},
	{Code: "21050", NameKo: "부산진구", NameEn: "Busanjin-gu", Population: 362000},
	{Code: "21060", NameKo: "동래구", NameEn: "Dongnae-gu", Population: 268000},
	{Code: "21070", NameKo: "남구", NameEn: "Nam-gu", Population: 253000},
	{Code: "21080", NameKo: "북구", NameEn: "Buk-gu", Population: 270000},
	{Code: "21090", NameKo: "해운대구", NameEn: "Haeundae-gu", Population: 378000},
	{Code: "21100", NameKo: "사하구", NameEn: "Saha-gu", Population: 295000},
	{Code: "21110", NameKo: "금정구", NameEn: "Geumjeong-gu", Population: 215000},
	{Code: "21120", NameKo: "강서구", NameEn: "Gangseo-gu", Population: 142000},
	{Code: "21130", NameKo: "연제구", NameEn: "Yeonje-gu", Population: 210000},
	{Code: "21140", NameKo: "수영구", NameEn: "Suyeong-gu", Population: 171000},
	{Code: "21150", NameKo: "사상구", NameEn: "Sasang-gu", Population: 199000},
	{Code: "21310", NameKo: "기장군", NameEn: "Gijang-gun", Population: 180000},
}

// Districts returns Busan's 16 districts in code order. The slice is the
// caller's own, so changing it changes nothing here.
func Districts() []District {
	return slices.Clone(districtTable)
}

// DistrictByCode returns the district with the given KOSTAT code.
func DistrictByCode(code string) (District, bool) {
	i, ok := slices.BinarySearchFunc(districtTable, code, func(d District, c string) int {
		return cmp.Compare(d.Code, c)
	})
	if !ok {
		return District{}, false
	}
	return districtTable[i], true
}

// Name returns the district's name in lang: Korean for "ko", English for
// any other language, since English is the only other one the platform has
// and the better fallback for a visitor who reads neither.
func (d District) Name(lang string) string {
	if lang == "ko" {
		return d.NameKo
	}
	return d.NameEn
}
