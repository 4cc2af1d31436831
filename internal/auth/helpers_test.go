package auth

import (
	"net/http"
	"net/http/httptest"
)

func httptestRequest(token string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
	return r
}
