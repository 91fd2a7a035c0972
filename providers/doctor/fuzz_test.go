package doctor_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/doctor"
)

// FuzzDiagnose feeds the doctor what a server controls (WWW-Authenticate,
// Date, the body) and what a person may write in a request (the
// Authorization header, the query): whatever comes, it answers a 401
// without panicking, never with nothing, and never with the token.
func FuzzDiagnose(f *testing.F) {
	const plain = "tok-8f2a91c4d7e6b3a5"
	f.Add(`Bearer realm="api", error="invalid_token", error_description="unknown token tok-8f2a91c4d7e6b3a5"`, "Tue, 04 Mar 2031 05:11:07 GMT", `{"error_msg":"access_token URL query parameter is required"}`, "Bearer "+plain, "")
	f.Add(`Bearer error="insufficient_scope", scope="api:write"`, "", `{"error":{"message":"no"}}`, "access_token "+plain, "access_token="+plain)
	f.Add("Basic realm=\"x\", Negotiate abc==", "garbage", "<html>nope</html>", "Bearer Bearer "+plain, "page=2")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, challenge, date, body, auth, rawQuery string) {
		p := &config.Provider{Name: "x", BaseURL: "https://api.example.com", Scopes: []string{"api:read"}, Audience: "api"}
		tok := newToken(plain, "Bearer", "api:read")
		h := http.Header{}
		if auth != "" {
			h.Set("Authorization", auth)
		}
		rh := http.Header{}
		if challenge != "" {
			rh.Set("WWW-Authenticate", challenge)
		}
		if date != "" {
			rh.Set("Date", date)
		}
		u := &url.URL{Scheme: "https", Host: "api.example.com", Path: "/x", RawQuery: rawQuery}
		// A spec's text is outside text too: its scope names here come
		// from the fuzzed body.
		spec := &doctor.Operation{Method: "GET", Path: "/x", ID: rawQuery, Scheme: auth, Scopes: append(strings.Fields(body), "api:write")}
		for i, status := range []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusForbidden} {
			ev := doctor.Evidence{
				Provider: p, Token: tok, Method: "GET", URL: u, Header: h,
				Status: status, ResponseHeader: rh, Body: []byte(body), Now: clockNow.Add(time.Duration(len(body)) * time.Minute),
			}
			if i == 2 {
				ev.Operation = spec
			}
			fs := doctor.Diagnose(ev)
			if len(fs) == 0 {
				t.Fatalf("%d with no findings", status)
			}
			for _, f := range fs {
				if f.Code == "" || f.Cause == "" {
					t.Fatalf("empty finding %+v", f)
				}
				if strings.Contains(f.String(), plain) {
					t.Fatalf("finding %s shows the token: %q", f.Code, f.String())
				}
			}
		}
	})
}
