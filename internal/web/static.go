package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
	"sync"
)

//go:embed static
var staticFS embed.FS

// fingerprintLen is how many hex digits of a file's SHA-256 its versioned
// URL carries (?v=…). tools/fetch-krds.sh writes the font URLs of
// vendor/pretendard-gov/pretendard-gov.css the same way.
const fingerprintLen = 12

// assets are embedded files served under a URL prefix, each with its
// fingerprint (the first fingerprintLen hex digits of its SHA-256).
type assets struct {
	prefix       string
	files        fs.FS
	fingerprints func() map[string]string
}

func newAssets(prefix string, files fs.FS) *assets {
	return &assets{prefix: prefix, files: files, fingerprints: sync.OnceValue(func() map[string]string {
		m := map[string]string{}
		fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(files, p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			m[p] = hex.EncodeToString(sum[:])[:fingerprintLen]
			return nil
		})
		return m
	})}
}

// shared are the assets of every page, under /static/.
var shared = newAssets("/static/", mustSub(staticFS, "static"))

// Asset is the versioned URL of an embedded asset, name relative to static/
// ("app.css" → "/static/app.css?v=3f2a…"): the URL changes whenever the file
// does, so browsers may keep it for a year. Templates call it as
// {{asset "app.css"}}. An unknown name gets its plain URL.
func Asset(name string) string {
	if v, ok := shared.fingerprints()[name]; ok {
		return "/static/" + name + "?v=" + v
	}
	return "/static/" + name
}

// Static serves the embedded assets under /static/. A request whose ?v=
// matches the file's fingerprint (see Asset) names those exact bytes for
// good: it may be cached for a year without asking again. Any other URL
// (a template's plain /static/leaflet.css, an old ?v= after an upgrade)
// may be kept a day, then revalidated by its ETag, since the file can
// change with the next release.
func Static() http.Handler { return shared.handler() }

// StaticFiles serves a part's own embedded files under prefix ("/static/wallet/"),
// cached as Static's are; the part registers it as "GET "+prefix.
func StaticFiles(prefix string, files fs.FS) http.Handler { return newAssets(prefix, files).handler() }

func (a *assets) handler() http.Handler {
	files := http.StripPrefix(a.prefix, http.FileServerFS(a.files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := a.fingerprints()[strings.TrimPrefix(r.URL.Path, a.prefix)]
		switch {
		case ok && r.URL.Query().Get("v") == v:
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		default:
			w.Header().Set("Cache-Control", "public, max-age=86400")
		}
		if ok {
			// http.ServeContent answers If-None-Match with 304 from it.
			w.Header().Set("ETag", `"`+v+`"`)
		}
		files.ServeHTTP(w, r)
	})
}
