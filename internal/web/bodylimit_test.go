package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBodiesOverTheLimitAre413(t *testing.T) {
	t.Parallel()
	rt := NewRouter(NewMetrics())
	echo := func(w http.ResponseWriter, r *http.Request) error {
		var v map[string]any
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			if err := DecodeJSON(w, r, &v); err != nil {
				return err
			}
		} else if _, err := io.ReadAll(r.Body); err != nil {
			return err
		}
		_, err := io.WriteString(w, "ok")
		return err
	}
	rt.Handle("POST /form", echo)
	rt.Handle("POST /api/v1/json", echo)
	rt.Handle("POST /upload", func(w http.ResponseWriter, r *http.Request) error {
		f, _, err := r.FormFile("file")
		if err != nil {
			return err
		}
		n, _ := io.Copy(io.Discard, f)
		_, err = io.WriteString(w, strings.Repeat("k", int(n>>10)))
		return err
	}, Upload(3<<20+FormEnvelope))
	h := Chain(rt, Recover, WithPrefsMiddleware, rt.LimitBodies, CSRF)
	tok := strings.Repeat("t", 32)

	send := func(path, ctype string, body io.Reader, size int64, lang string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, body)
		r.ContentLength = size
		r.Header.Set("Content-Type", ctype)
		r.Header.Set("Accept-Language", lang)
		r.Header.Set("X-CSRF-Token", tok)
		r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	big := strings.Repeat("x", DefaultMaxBody+1)
	// Declared too large: refused before reading, in the reader's language.
	w := send("/form", "application/x-www-form-urlencoded", strings.NewReader("a="+big), int64(len(big)+2), "ko")
	if w.Code != 413 || !strings.Contains(w.Body.String(), "너무 큽니다") {
		t.Errorf("declared large form: %d %s", w.Code, w.Body.String())
	}
	// Not declared (chunked): the read fails, and says why.
	w = send("/form", "application/x-www-form-urlencoded", strings.NewReader("a="+big), -1, "en")
	if w.Code != 413 || !strings.Contains(w.Body.String(), "too large") {
		t.Errorf("chunked large form: %d %s", w.Code, w.Body.String())
	}
	w = send("/api/v1/json", "application/json", strings.NewReader(`{"a":"`+big+`"}`), -1, "en")
	if w.Code != 413 || !strings.Contains(w.Body.String(), `"code":"too_large"`) {
		t.Errorf("chunked large JSON: %d %s", w.Code, w.Body.String())
	}
	// A form without the header token: the token is in the body, and the
	// body is too large. Still 413, not a failed security check.
	r := httptest.NewRequest("POST", "/form", strings.NewReader("csrf="+tok+"&a="+big))
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 413 {
		t.Errorf("form with its token in a large body: %d", w.Code)
	}

	// An upload route takes more than the default, up to its own limit.
	upload := func(size int) *httptest.ResponseRecorder {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			mw.WriteField("csrf", tok)
			fw, _ := mw.CreateFormFile("file", "big.csv")
			fw.Write([]byte(strings.Repeat("y", size)))
			mw.Close()
			pw.Close()
		}()
		r := httptest.NewRequest("POST", "/upload", pr)
		r.ContentLength = -1
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		io.Copy(io.Discard, pr)
		return w
	}
	if w := upload(2 << 20); w.Code != 200 || w.Body.Len() != 2<<10 {
		t.Errorf("2 MB upload: %d, %d", w.Code, w.Body.Len())
	}
	if w := upload(4 << 20); w.Code != 413 || !strings.Contains(w.Body.String(), "3MB") {
		t.Errorf("4 MB upload: %d %s", w.Code, w.Body.String())
	}
}
