package preset

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/endpoints"
)

// fields fills preset name from params, failing the test on an error.
func fields(t *testing.T, name string, params Params) map[string]string {
	t.Helper()
	ps, ok := Lookup(name)
	if !ok {
		t.Fatalf("no preset %q", name)
	}
	fs, err := ps.Fill(params)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := map[string]string{}
	for _, f := range fs {
		if _, dup := out[f.Key]; dup {
			t.Fatalf("%s fills %s twice", name, f.Key)
		}
		out[f.Key] = f.Value
	}
	return out
}

// TestPresetsMatchOAuth2Endpoints holds the presets golang.org/x/oauth2
// knows to the URLs it gives: Entra ID's global cloud (AzureAD), GitHub,
// Google, Cognito (whose AWSCognito panics on a domain without a scheme,
// so it is given one, as the preset's domain must be).
func TestPresetsMatchOAuth2Endpoints(t *testing.T) {
	cases := []struct {
		name   string
		params Params
		want   oauth2.Endpoint
	}{
		{"entra-id", Params{Tenant: "contoso.onmicrosoft.com"}, endpoints.AzureAD("contoso.onmicrosoft.com")},
		{"entra-id", Params{Tenant: "00000000-0000-0000-0000-000000000000", Cloud: "global"}, endpoints.AzureAD("00000000-0000-0000-0000-000000000000")},
		{"github", Params{}, endpoints.GitHub},
		{"google", Params{}, endpoints.Google},
		{"cognito", Params{Domain: "https://myapp.auth.us-east-1.amazoncognito.com"}, endpoints.AWSCognito("https://myapp.auth.us-east-1.amazoncognito.com")},
		{"cognito", Params{Domain: "https://auth.example.com/"}, endpoints.AWSCognito("https://auth.example.com/")},
	}
	for _, c := range cases {
		got := fields(t, c.name, c.params)
		for key, want := range map[string]string{"auth_url": c.want.AuthURL, "token_url": c.want.TokenURL, "device_url": c.want.DeviceAuthURL} {
			if got[key] != want {
				t.Errorf("%s %+v: %s = %q, x/oauth2 says %q", c.name, c.params, key, got[key], want)
			}
		}
	}
}

// TestEntraIDChinaCloud: the china cloud is the global cloud's URLs on
// login.chinacloudapi.cn, as x/oauth2 has no endpoint for it.
func TestEntraIDChinaCloud(t *testing.T) {
	want := endpoints.AzureAD("contoso.partner.onmschina.cn")
	got := fields(t, "entra-id", Params{Tenant: "contoso.partner.onmschina.cn", Cloud: "china"})
	for key, w := range map[string]string{"auth_url": want.AuthURL, "token_url": want.TokenURL, "device_url": want.DeviceAuthURL} {
		w = strings.Replace(w, "https://login.microsoftonline.com/", "https://login.chinacloudapi.cn/", 1)
		if got[key] != w {
			t.Errorf("%s = %q, want %q", key, got[key], w)
		}
	}
}

func TestPresetURLs(t *testing.T) {
	cases := []struct {
		name   string
		params Params
		want   map[string]string
	}{
		{"auth0", Params{Domain: "dev-123.us.auth0.com"}, map[string]string{
			"issuer": "https://dev-123.us.auth0.com/", "token_url": "https://dev-123.us.auth0.com/oauth/token",
			"auth_url": "https://dev-123.us.auth0.com/authorize", "device_url": "https://dev-123.us.auth0.com/oauth/device/code",
			"revoke_url": "https://dev-123.us.auth0.com/oauth/revoke",
		}},
		{"okta", Params{Domain: "dev-1.okta.com"}, map[string]string{
			"issuer": "https://dev-1.okta.com/oauth2/default", "token_url": "https://dev-1.okta.com/oauth2/default/v1/token",
			"introspect_url": "https://dev-1.okta.com/oauth2/default/v1/introspect",
		}},
		{"okta", Params{Domain: "dev-1.okta.com", AuthorizationServer: "aus1a2b3c"}, map[string]string{
			"issuer": "https://dev-1.okta.com/oauth2/aus1a2b3c", "device_url": "https://dev-1.okta.com/oauth2/aus1a2b3c/v1/device/authorize",
		}},
		// The org authorization server: no server ID in the path, the
		// domain itself as issuer.
		{"okta", Params{Domain: "dev-1.okta.com", AuthorizationServer: "org"}, map[string]string{
			"issuer": "https://dev-1.okta.com", "auth_url": "https://dev-1.okta.com/oauth2/v1/authorize",
			"token_url": "https://dev-1.okta.com/oauth2/v1/token", "device_url": "https://dev-1.okta.com/oauth2/v1/device/authorize",
			"revoke_url": "https://dev-1.okta.com/oauth2/v1/revoke", "introspect_url": "https://dev-1.okta.com/oauth2/v1/introspect",
		}},
		{"keycloak", Params{ServerURL: "https://sso.example.com/", Realm: "shop"}, map[string]string{
			"issuer": "https://sso.example.com/realms/shop", "token_url": "https://sso.example.com/realms/shop/protocol/openid-connect/token",
			"auth_url": "https://sso.example.com/realms/shop/protocol/openid-connect/auth", "device_url": "https://sso.example.com/realms/shop/protocol/openid-connect/auth/device",
		}},
		{"keycloak", Params{ServerURL: "http://127.0.0.1:8080/auth", Realm: "master"}, map[string]string{
			"token_url": "http://127.0.0.1:8080/auth/realms/master/protocol/openid-connect/token",
		}},
		// A ${VAR} is taken as written, for the caller to expand.
		{"entra-id", Params{Tenant: "${TENANT}"}, map[string]string{"token_url": "https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token"}},
		{"keycloak", Params{ServerURL: "${KC}", Realm: "r"}, map[string]string{"token_url": "${KC}/realms/r/protocol/openid-connect/token"}},
		{"github", Params{}, map[string]string{"grant": "device_code", "base_url": "https://api.github.com", "client_auth": "post"}},
		{"google", Params{}, map[string]string{"grant": "authorization_code", "client_auth": "post", "issuer": "https://accounts.google.com"}},
	}
	for _, c := range cases {
		got := fields(t, c.name, c.params)
		for k, w := range c.want {
			if got[k] != w {
				t.Errorf("%s %+v: %s = %q, want %q", c.name, c.params, k, got[k], w)
			}
		}
	}
}

// TestPresetParamsRefused: a parameter that would move the URLs to
// another host or path, a missing one, and one the preset does not read
// are each an Error naming the key.
func TestPresetParamsRefused(t *testing.T) {
	cases := []struct {
		name    string
		params  Params
		key, in string
	}{
		{"entra-id", Params{}, "tenant", "needs tenant"},
		{"entra-id", Params{Tenant: "evil.example/x"}, "tenant", "would change the URL"},
		{"entra-id", Params{Tenant: ".."}, "tenant", "not a name"},
		{"entra-id", Params{Tenant: "t", Cloud: "usgov"}, "cloud", "unknown cloud"},
		{"entra-id", Params{Tenant: "t", Realm: "r"}, "realm", "does not read realm"},
		{"github", Params{Domain: "x"}, "domain", "does not read domain"},
		{"auth0", Params{Domain: "https://dev.auth0.com"}, "domain", "has a scheme"},
		{"auth0", Params{Domain: "evil.example@dev.auth0.com"}, "domain", "not a host name"},
		{"auth0", Params{Domain: "dev.auth0.com/x"}, "domain", "not a host name"},
		{"okta", Params{Domain: "dev.okta.com", AuthorizationServer: "a/b"}, "authorization_server", "would change the URL"},
		{"keycloak", Params{ServerURL: "sso.example.com", Realm: "r"}, "server_url", "does not start with https://"},
		{"keycloak", Params{ServerURL: "https://sso.example.com?x=1", Realm: "r"}, "server_url", "query"},
		{"keycloak", Params{ServerURL: "https://sso.example.com"}, "realm", "needs realm"},
		{"keycloak", Params{ServerURL: "https://sso.example.com", Realm: "a#b"}, "realm", "would change the URL"},
		{"cognito", Params{Domain: "myapp.auth.us-east-1.amazoncognito.com"}, "domain", "does not start with https://"},
		{"cognito", Params{Domain: "https://u:p@auth.example.com"}, "domain", "user"},
	}
	for _, c := range cases {
		ps, _ := Lookup(c.name)
		_, err := ps.Fill(c.params)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%s %+v: err = %v, want an Error", c.name, c.params, err)
			continue
		}
		if pe.Key != c.key || !strings.Contains(pe.Error(), c.in) {
			t.Errorf("%s %+v: %v (key %s), want key %s and %q", c.name, c.params, err, pe.Key, c.key, c.in)
		}
	}
}

// TestPresetsComplete: every preset has a title and notes, an example for
// each parameter it reads, fills only keys a provider has, and gives a
// grant and a token endpoint.
func TestPresetsComplete(t *testing.T) {
	fillable := map[string]bool{"grant": true, "base_url": true, "issuer": true, "token_url": true, "auth_url": true, "device_url": true, "revoke_url": true, "introspect_url": true, "client_auth": true}
	for _, name := range Names() {
		ps, _ := Lookup(name)
		if ps.Title == "" || len(ps.Notes) == 0 {
			t.Errorf("%s: no title or notes", name)
		}
		params := Params{}
		for _, k := range ps.Reads {
			ex := ps.Example[k]
			if ex == "" {
				t.Errorf("%s: no example for %s", name, k)
			}
			params.Set(k, ex)
		}
		got := fields(t, name, params)
		for k := range got {
			if !fillable[k] {
				t.Errorf("%s fills %s, which is not a key it may fill", name, k)
			}
		}
		if got["grant"] == "" || got["token_url"] == "" {
			t.Errorf("%s: no grant or token_url: %v", name, got)
		}
	}
}
