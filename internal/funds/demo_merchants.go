package funds

// DemoMerchants are the demo city's shops where the demo programmes'
// points are spent: an academy for the multi-child education points, a
// bookshop for both programmes, a theatre for the culture pass. Their
// business numbers are made up, with a valid check digit.
func DemoMerchants() []Merchant {
	return []Merchant{
		{BusinessNumber: withCheckDigit("605810001"), Name: "해운대 꿈나무 학원 (시연)", Category: "education", District: "21090"},
		{BusinessNumber: withCheckDigit("605810002"), Name: "보수동 책방골목 서점 (시연)", Category: "books", District: "21010"},
		{BusinessNumber: withCheckDigit("605810003"), Name: "광안리 소극장 (시연)", Category: "performance", District: "21140"},
	}
}

func withCheckDigit(first9 string) string { return first9 + string(checkDigit(first9)) }
