package providers

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/secret"
)

func TestInjection(t *testing.T) {
	tests := []struct {
		name      string
		inject    *config.Inject
		tokenType string
		want      Injection
	}{
		{"default, bearer", nil, "bearer", Injection{Header: "Authorization", Prefix: "Bearer "}},
		{"default, Bearer", nil, "Bearer", Injection{Header: "Authorization", Prefix: "Bearer "}},
		{"default, BEARER with spaces", nil, " BEARER ", Injection{Header: "Authorization", Prefix: "Bearer "}},
		{"default, no token_type", nil, "", Injection{Header: "Authorization", Prefix: "Bearer "}},
		{"default, other type as sent", nil, "DPoP", Injection{Header: "Authorization", Prefix: "DPoP "}},
		{"custom header keeps the scheme", &config.Inject{Header: "X-Auth"}, "bearer", Injection{Header: "X-Auth", Prefix: "Bearer "}},
		{"custom header and prefix", &config.Inject{Header: "X-Auth", Prefix: new("Token ")}, "bearer", Injection{Header: "X-Auth", Prefix: "Token "}},
		{"empty prefix: raw token", &config.Inject{Header: "Authorization", Prefix: new("")}, "bearer", Injection{Header: "Authorization", Prefix: ""}},
		{"prefix alone keeps Authorization", &config.Inject{Prefix: new("access_token ")}, "", Injection{Header: "Authorization", Prefix: "access_token "}},
		{"query", &config.Inject{Query: "access_token"}, "bearer", Injection{Query: "access_token"}},
		{"empty inject table", &config.Inject{}, "", Injection{Header: "Authorization", Prefix: "Bearer "}},
	}
	for _, tt := range tests {
		p := &config.Provider{Name: "x", Inject: tt.inject}
		if got := InjectionOfType(p, tt.tokenType); got != tt.want {
			t.Errorf("%s: Injection = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestApply(t *testing.T) {
	const access = "eyJ.abc.def"
	tests := []struct {
		name      string
		inject    *config.Inject
		token     string
		tokenType string
		target    string
		header    string // name of the header to check
		wantValue string // its value; "" means absent
		wantURL   string // "" means the target, unchanged
		wantIn    Injection
	}{
		{name: "default bearer", token: access, tokenType: "bearer", target: "https://api.example.com/v1/x",
			header: "Authorization", wantValue: "Bearer " + access, wantIn: Injection{Header: "Authorization", Prefix: "Bearer "}},
		{name: "token_type Bearer", token: access, tokenType: "Bearer", target: "https://api.example.com/x",
			header: "Authorization", wantValue: "Bearer " + access, wantIn: Injection{Header: "Authorization", Prefix: "Bearer "}},
		{name: "no token_type", token: access, target: "https://api.example.com/x",
			header: "Authorization", wantValue: "Bearer " + access, wantIn: Injection{Header: "Authorization", Prefix: "Bearer "}},
		{name: "custom header and prefix", inject: &config.Inject{Header: "X-Api-Token", Prefix: new("Token ")}, token: access, tokenType: "bearer",
			target: "https://api.example.com/x", header: "X-Api-Token", wantValue: "Token " + access, wantIn: Injection{Header: "X-Api-Token", Prefix: "Token "}},
		{name: "raw, prefix empty", inject: &config.Inject{Header: "Authorization", Prefix: new("")}, token: access, tokenType: "bearer",
			target: "https://api.example.com/x", header: "Authorization", wantValue: access, wantIn: Injection{Header: "Authorization"}},
		{name: "token already carries Bearer: never Bearer Bearer", token: "Bearer " + access, tokenType: "bearer",
			target: "https://api.example.com/x", header: "Authorization", wantValue: "Bearer " + access, wantIn: Injection{Header: "Authorization"}},
		{name: "token carries lowercase bearer", token: "bearer " + access, target: "https://api.example.com/x",
			header: "Authorization", wantValue: "bearer " + access, wantIn: Injection{Header: "Authorization"}},
		{name: "maptable: raw and prefixed", inject: &config.Inject{Header: "Authorization", Prefix: new("")}, token: "Bearer " + access,
			target: "https://api.example.com/x", header: "Authorization", wantValue: "Bearer " + access, wantIn: Injection{Header: "Authorization"}},
		{name: "query", inject: &config.Inject{Query: "access_token"}, token: access, target: "https://api.example.com/x",
			header: "Authorization", wantURL: "https://api.example.com/x?access_token=" + url.QueryEscape(access), wantIn: Injection{Query: "access_token"}},
		{name: "query keeps the user's parameters as written", inject: &config.Inject{Query: "access_token"}, token: "a b&c",
			target: "https://api.example.com/x?z=1&a=%2F&filter=a;b", header: "Authorization",
			wantURL: "https://api.example.com/x?z=1&a=%2F&filter=a;b&access_token=a+b%26c", wantIn: Injection{Query: "access_token"}},
		{name: "query replaces a token already there", inject: &config.Inject{Query: "access_token"}, token: access,
			target: "https://api.example.com/x?access_token=old&page=2", header: "Authorization",
			wantURL: "https://api.example.com/x?page=2&access_token=" + url.QueryEscape(access), wantIn: Injection{Query: "access_token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &config.Provider{Name: "x", BaseURL: "https://api.example.com/v1", Inject: tt.inject}
			req, err := http.NewRequest("GET", tt.target, nil)
			if err != nil {
				t.Fatal(err)
			}
			in, err := Apply(p, req, &Token{Access: secret.New(tt.token), Type: tt.tokenType}, false)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if in != tt.wantIn {
				t.Errorf("Injection = %+v, want %+v", in, tt.wantIn)
			}
			if got := req.Header.Get(tt.header); got != tt.wantValue {
				t.Errorf("%s = %q, want %q", tt.header, got, tt.wantValue)
			}
			if vals := req.Header.Values(tt.header); len(vals) > 1 {
				t.Errorf("%s sent %d times", tt.header, len(vals))
			}
			wantURL := tt.wantURL
			if wantURL == "" {
				wantURL = tt.target
			}
			if req.URL.String() != wantURL {
				t.Errorf("URL = %s, want %s", req.URL, wantURL)
			}
			if tt.wantIn.Query != "" && req.URL.Query().Get(tt.wantIn.Query) != tt.token {
				t.Errorf("query %s = %q, want the token", tt.wantIn.Query, req.URL.Query().Get(tt.wantIn.Query))
			}
		})
	}
}

func TestApplyReplacesAComposedHeader(t *testing.T) {
	p := &config.Provider{Name: "x", BaseURL: "https://api.example.com"}
	req, _ := http.NewRequest("GET", "https://api.example.com/x", nil)
	req.Header.Add("Authorization", "Basic old")
	if _, err := Apply(p, req, &Token{Access: secret.New("tok")}, false); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Values("Authorization"); len(got) != 1 || got[0] != "Bearer tok" {
		t.Errorf("Authorization = %q, want one Bearer tok", got)
	}
}

func TestApplyOrigin(t *testing.T) {
	tok := &Token{Access: secret.New("tok")}
	tests := []struct {
		base, target string
		same         bool
	}{
		{"https://api.example.com/v1", "https://api.example.com/other/path", true},
		{"https://api.example.com/v1", "https://API.Example.com/v1", true},
		{"https://api.example.com", "https://api.example.com:443/x", true},
		{"https://api.example.com:443", "https://api.example.com/x", true},
		{"http://api.example.com", "http://api.example.com:80/x", true},
		{"http://127.0.0.1:8080/api", "http://127.0.0.1:8080/x", true},
		{"https://[::1]/api", "https://[::1]:443/x", true},
		{"https://[::1]:443/api", "https://[::1]/x", true},
		{"https://api.example.com", "http://api.example.com/x", false},       // downgrade
		{"https://api.example.com", "https://api.example.com:8443/x", false}, // port
		{"https://api.example.com", "https://evil.example.com/x", false},
		{"https://api.example.com", "https://api.example.com.evil.com/x", false},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8081/x", false},
		{"https://[::1]/api", "https://[::2]/x", false},
	}
	for _, tt := range tests {
		b, _ := url.Parse(tt.base)
		u, _ := url.Parse(tt.target)
		if got := SameOrigin(b, u); got != tt.same {
			t.Errorf("SameOrigin(%s, %s) = %v, want %v", tt.base, tt.target, got, tt.same)
		}
		p := &config.Provider{Name: "x", BaseURL: tt.base}
		req, _ := http.NewRequest("GET", tt.target, nil)
		_, err := Apply(p, req, tok, false)
		if tt.same {
			if err != nil {
				t.Errorf("Apply(%s → %s) = %v", tt.base, tt.target, err)
			}
			continue
		}
		if !errors.Is(err, ErrForeignOrigin) {
			t.Errorf("Apply(%s → %s) = %v, want ErrForeignOrigin", tt.base, tt.target, err)
		}
		if req.Header.Get("Authorization") != "" || req.URL.Query().Has("access_token") {
			t.Errorf("token attached to a foreign request: %v %v", req.Header, req.URL)
		}
		// force is the user asking for this one request.
		req, _ = http.NewRequest("GET", tt.target, nil)
		if _, err := Apply(p, req, tok, true); err != nil || req.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("forced Apply(%s → %s) = %v, header %q", tt.base, tt.target, err, req.Header.Get("Authorization"))
		}
	}
}

func TestApplyNoToken(t *testing.T) {
	p := &config.Provider{Name: "x", BaseURL: "https://api.example.com"}
	for _, tok := range []*Token{nil, {}} {
		req, _ := http.NewRequest("GET", "https://api.example.com/x", nil)
		if _, err := Apply(p, req, tok, false); err == nil {
			t.Errorf("Apply(%+v) succeeded without a token", tok)
		}
		if len(req.Header) != 0 {
			t.Errorf("headers set without a token: %v", req.Header)
		}
	}
}
