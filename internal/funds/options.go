package funds

import "github.com/maeul/maeul/internal/web"

// Options are what the funds pages need from other parts of the city.
type Options struct {
	// Districts are the city's districts in a language, where a merchant
	// may be.
	Districts func(lang string) []web.Option
}

func (o Options) districts(lang string) []web.Option {
	if o.Districts == nil {
		return nil
	}
	return o.Districts(lang)
}
