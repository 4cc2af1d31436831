package apptest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Client is a browser-like HTTP client with its own cookies.
type Client struct {
	T    testing.TB
	Base string
	HTTP *http.Client
}

// Client is a new client of the app, with its own cookies, failing t.
func (ta *App) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: t, Base: ta.Server.URL, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// Do sends a request, with form (and its CSRF token when it is not a GET)
// and header, and returns the status and body.
func (c *Client) Do(method, path string, form url.Values, header map[string]string) (int, string) {
	c.T.Helper()
	var body io.Reader
	if form != nil {
		if method != http.MethodGet && form.Get("csrf") == "" && header["X-CSRF-Token"] == "" {
			form.Set("csrf", c.CSRF())
		}
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		c.T.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Get is Do with GET.
func (c *Client) Get(path string) (int, string) { return c.Do(http.MethodGet, path, nil, nil) }

// Post is Do with POST and a form.
func (c *Client) Post(path string, form url.Values) (int, string) {
	return c.Do(http.MethodPost, path, form, nil)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF loads a page to obtain the double-submit token.
func (c *Client) CSRF() string {
	c.T.Helper()
	u, _ := url.Parse(c.Base)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "maeul_csrf" {
			return ck.Value
		}
	}
	_, body := c.Get("/login")
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		c.T.Fatal("no csrf token on /login")
	}
	return m[1]
}

// FuzzReq is one request of the fuzz.
type FuzzReq struct {
	Method, Path, ContentType, Body, What string
	MustRefuse                            bool // a 2xx answer is a finding too
}

// Raw sends one request of the fuzz as it is, with the CSRF token.
func (c *Client) Raw(r FuzzReq) (int, string) {
	c.T.Helper()
	req, err := http.NewRequest(r.Method, c.Base+r.Path, strings.NewReader(r.Body))
	if err != nil {
		c.T.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	if r.Method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.CSRF())
	}
	if strings.HasPrefix(r.Path, "/api/") {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// JSONCall sends a JSON body with the client's session and CSRF token.
func (c *Client) JSONCall(method, path, body string, header map[string]string, out any) int {
	c.T.Helper()
	h := map[string]string{"Content-Type": "application/json", "X-CSRF-Token": c.CSRF()}
	for k, v := range header {
		h[k] = v
	}
	req, err := http.NewRequest(method, c.Base+path, strings.NewReader(body))
	if err != nil {
		c.T.Fatal(err)
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// Upload posts a file to a staff import form.
func (c *Client) Upload(path, name, content string) (int, string) {
	c.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.CSRF())
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.Base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.String()
}

// NoFollow is a client that keeps its cookies and shows redirects rather
// than following them.
func (ta *App) NoFollow(t *testing.T) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: t, Base: ta.Server.URL, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Location sends a request and returns its status and Location.
func (c *Client) Location(method, path string, form url.Values) (int, string) {
	c.T.Helper()
	req, err := http.NewRequest(method, c.Base+path, nil)
	if form != nil {
		if form.Get("csrf") == "" {
			form.Set("csrf", c.CSRF())
		}
		req, err = http.NewRequest(method, c.Base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if err != nil {
		c.T.Fatal(err)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}
