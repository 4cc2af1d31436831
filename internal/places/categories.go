package places

import "slices"

// Category is a kind of public facility.
type Category struct {
	Code string
	// Symbol marks the category on the map beside its colour, which alone
	// must not carry meaning.
	SymbolKo, SymbolEn string
	// Essential categories are the ones the 15-minute city promises within
	// a walk; planners see each zone's coverage of them.
	Essential bool
}

// Categories are the kinds of facility, in the order pages list them.
var Categories = []Category{
	{Code: "senior", SymbolKo: "노", SymbolEn: "S", Essential: true},
	{Code: "community", SymbolKo: "주", SymbolEn: "C", Essential: true},
	{Code: "health", SymbolKo: "보", SymbolEn: "H", Essential: true},
	{Code: "library", SymbolKo: "도", SymbolEn: "L", Essential: true},
	{Code: "welfare", SymbolKo: "복", SymbolEn: "W", Essential: true},
	{Code: "childcare", SymbolKo: "아", SymbolEn: "K", Essential: true},
	{Code: "park", SymbolKo: "공", SymbolEn: "P", Essential: true},
	{Code: "sports", SymbolKo: "체", SymbolEn: "F"},
	{Code: "culture", SymbolKo: "문", SymbolEn: "A"},
	{Code: "digital", SymbolKo: "디", SymbolEn: "D"},
}

// IsCategory reports whether code names a category.
func IsCategory(code string) bool {
	return slices.ContainsFunc(Categories, func(c Category) bool { return c.Code == code })
}

// Symbol is the category's map symbol in lang.
func (c Category) Symbol(lang string) string {
	if lang == "en" {
		return c.SymbolEn
	}
	return c.SymbolKo
}
