package places

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// Facility is a public place citizens can go to.
type Facility struct {
	ID        int64
	Ref       string // the importer's identifier
	Category  string
	NameKo    string
	NameEn    string
	AddressKo string
	AddressEn string
	At        Point
	Zone      string // the code of the zone it is in, "" outside every zone
	Hours     Hours
	HoursText string
	// Accessibility: what a wheelchair user, someone who needs an
	// accessible toilet or a hearing-aid user would ask before going.
	StepFree         bool
	AccessibleToilet bool
	HearingLoop      bool
	Phone            string
	Website          string
	Demo             bool
	UpdatedAt        time.Time
}

// Name is the facility's name in lang.
func (f Facility) Name(lang string) string { return i18n.For(lang).Pick(f.NameKo, f.NameEn) }

// Address is the facility's address in lang.
func (f Facility) Address(lang string) string { return i18n.For(lang).Pick(f.AddressKo, f.AddressEn) }

// Limits of a facility's fields.
const (
	MaxRefLength  = 64
	MaxNameLength = 120
	MaxTextLength = 300
)

// validate checks a facility as imported and normalises it; the error
// names the field.
func (f *Facility) validate() error {
	f.Ref = strings.TrimSpace(f.Ref)
	f.NameKo = strings.TrimSpace(f.NameKo)
	f.NameEn = strings.TrimSpace(f.NameEn)
	switch {
	case f.Ref == "" || len(f.Ref) > MaxRefLength || strings.ContainsAny(f.Ref, " /?#"):
		return errs.Field("ref", "places.ref_invalid", MaxRefLength)
	case !IsCategory(f.Category):
		return errs.Field("category", "places.category_invalid", f.Category)
	case f.NameKo == "":
		return errs.Field("name_ko", "places.name_required")
	case utf8.RuneCountInString(f.NameKo) > MaxNameLength || utf8.RuneCountInString(f.NameEn) > MaxNameLength:
		return errs.Field("name_ko", "places.too_long", MaxNameLength)
	case utf8.RuneCountInString(f.AddressKo) > MaxTextLength || utf8.RuneCountInString(f.AddressEn) > MaxTextLength:
		return errs.Field("address_ko", "places.too_long", MaxTextLength)
	case !City.Contains(f.At):
		return errs.Field("lon", "places.outside_city", f.At.Lon, f.At.Lat)
	case len(f.Phone) > 30 || strings.Trim(f.Phone, "0123456789-+ ()") != "":
		return errs.Field("phone", "places.phone_invalid")
	}
	if f.Website != "" {
		u, err := url.Parse(f.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(f.Website) > MaxTextLength {
			return errs.Field("website", "places.website_invalid")
		}
	}
	h, err := ParseHours(f.HoursText)
	if err != nil {
		return err
	}
	f.Hours = h
	if f.NameEn == "" {
		f.NameEn = f.NameKo
	}
	return nil
}

// Features lists the accessibility features the facility has, as
// catalogue keys.
func (f Facility) Features() []string {
	var out []string
	if f.StepFree {
		out = append(out, "places.feature.step_free")
	}
	if f.AccessibleToilet {
		out = append(out, "places.feature.accessible_toilet")
	}
	if f.HearingLoop {
		out = append(out, "places.feature.hearing_loop")
	}
	return out
}
