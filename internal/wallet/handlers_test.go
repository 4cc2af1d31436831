package wallet

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

func newServer(t *testing.T) http.Handler {
	t.Helper()
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, Options{Districts: func(lang string) []web.Option {
		return []web.Option{{Value: "26350", Label: map[string]string{"ko": "해운대구", "en": "Haeundae-gu"}[lang]}}
	}, Zones: func(lang string) []web.Option {
		return []web.Option{{Value: "26350-Z2", Label: map[string]string{"ko": "해운대구 제2생활권", "en": "Haeundae-gu zone 2"}[lang]}}
	}})
	return web.Chain(rt, web.WithPrefsMiddleware, web.CSRF)
}

var (
	islandRe = regexp.MustCompile(`(?s)<script type="application/json" id="wallet-data">(.*?)</script>`)
	scriptRe = regexp.MustCompile(`<script[^>]*>`)
)

func get(t *testing.T, h http.Handler, path, lang string) (int, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.AddCookie(&http.Cookie{Name: "maeul_lang", Value: lang})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// Every page carries its script, the texts that script shows and the
// district names in the page's language, and runs nothing inline.
func TestPagesCarryTheirScriptAndTexts(t *testing.T) {
	t.Parallel()
	h := newServer(t)
	for _, lang := range i18n.Langs {
		for path, script := range map[string]string{"/wallet": "home", "/wallet/receive": "receive", "/wallet/present": "present", "/wallet/history": "history"} {
			st, body := get(t, h, path, lang)
			if st != http.StatusOK {
				t.Fatalf("%s %s: %d", lang, path, st)
			}
			if !strings.Contains(body, `<script type="module" src="/static/wallet/`+script+`.js"></script>`) {
				t.Errorf("%s: no %s.js", path, script)
			}
			for _, tag := range scriptRe.FindAllString(body, -1) {
				if !strings.Contains(tag, " src=") && !strings.Contains(tag, `type="application/json"`) {
					t.Errorf("%s: an inline script the CSP would block: %s", path, tag)
				}
			}
			if !strings.Contains(body, template.HTMLEscapeString(i18n.For(lang).T("wallet.needs_js"))) {
				t.Errorf("%s: no word for a browser without JavaScript", path)
			}
			m := islandRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: no data island", path)
			}
			var is island
			if err := json.Unmarshal([]byte(m[1]), &is); err != nil {
				t.Fatalf("%s: data island is not JSON: %v", path, err)
			}
			want := map[string]string{"ko": "해운대구", "en": "Haeundae-gu"}[lang]
			if is.Lang != lang || is.Districts["26350"] != want || !strings.HasPrefix(is.Zones["26350-Z2"], want) || is.CSRF == "" || is.CardType == "" {
				t.Errorf("%s %s: island %+v", lang, path, is)
			}
			if is.Claims["age_equal_or_over.65"] != i18n.For(lang).T("identity.claim.age_equal_or_over.65") || is.Msg["yes"] != i18n.For(lang).T("identity.yes") {
				t.Errorf("%s %s: claim labels %v", lang, path, is.Claims)
			}
		}
	}
}

// The scripts' texts are catalogue keys: a missing one would show the key.
func TestScriptMessagesExist(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Langs {
		for _, k := range scriptMessages {
			if !i18n.Has(lang, "wallet.js."+k) {
				t.Errorf("wallet.js.%s missing in %s", k, lang)
			}
		}
	}
}
