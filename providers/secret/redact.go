package secret

import (
	"bytes"
	"net/url"
	"strings"
)

// sensitiveHeaders are request and response headers whose values are
// credentials whatever their content.
var sensitiveHeaders = map[string]bool{
	"authorization":       true,
	"proxy-authorization": true,
	"cookie":              true,
	"set-cookie":          true,
	"x-api-key":           true,
	"api-key":             true,
	"x-auth-token":        true,
	"x-access-token":      true,
	// A DPoP proof (RFC 9449) is a signed JWT made for one request: a
	// credential, shown masked like Authorization.
	"dpop": true,
}

// SensitiveHeader reports whether a header's value is a credential and must
// be masked on screen and redacted everywhere else.
func SensitiveHeader(name string) bool {
	return sensitiveHeaders[strings.ToLower(name)]
}

// sensitiveParams are query and form parameters that carry credentials.
var sensitiveParams = map[string]bool{
	"client_secret":    true,
	"access_token":     true,
	"refresh_token":    true,
	"id_token":         true,
	"password":         true,
	"code":             true,
	"code_verifier":    true,
	"token":            true,
	"api_key":          true,
	"apikey":           true,
	"client_assertion": true,
	"assertion":        true,
}

// SensitiveParam reports whether a query or form parameter carries a
// credential: one of the OAuth parameters above (code included: in a
// callback URL it is the authorization code), or any name SensitiveField
// knows (appSecret=, api-key=).
func SensitiveParam(name string) bool {
	return sensitiveParams[strings.ToLower(name)] || SensitiveField(name)
}

// SensitiveField reports whether a JSON field or a config key (a vendor
// login's appSecret, a token_params entry) names a credential, in any
// case and spelling (access_token, accessToken, Access-Token): one of the
// names in sensitiveName, or a name ending in secret, password or passwd.
// "code" is not among them: in a JSON answer it is usually a status code,
// which people need to read (a vendor's "code": "40001").
func SensitiveField(name string) bool { return sensitiveField([]byte(name)) }

// sensitiveField is SensitiveField on bytes, without allocating: the JSON
// masker asks it about every key of a body of many megabytes.
func sensitiveField(name []byte) bool {
	if len(name) > maxKey {
		return false
	}
	var buf [maxKey]byte
	n := buf[:0]
	for _, c := range name {
		switch {
		case c == '_' || c == '-' || c == '.' || c == ' ':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		n = append(n, c)
	}
	return sensitiveName(n) || bytes.HasSuffix(n, []byte("secret")) ||
		bytes.HasSuffix(n, []byte("password")) || bytes.HasSuffix(n, []byte("passwd"))
}

// sensitiveName reports whether a name, lower case without separators,
// is a credential's. A switch, not a map: it is asked about every key of
// a large body, and needs no hashing.
func sensitiveName(n []byte) bool {
	switch string(n) {
	case "accesstoken", "refreshtoken", "idtoken", "token",
		"apitoken", "authtoken", "bearertoken", "sessiontoken",
		"xauthtoken", "xaccesstoken", "securitytoken",
		"pwd", "passphrase", "secretkey", "apikey", "xapikey", "privatekey",
		"clientassertion", "assertion", "codeverifier", "devicecode",
		"authorization", "proxyauthorization", "cookie", "setcookie":
		return true
	}
	return false
}

// RedactURL returns rawURL with the values of sensitive query parameters and
// any userinfo password replaced by the mask (MaskURL). Text that does not
// parse as a URL, or holds nothing to mask, is returned unchanged: callers
// pass it through a Redactor as well.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	_, password := u.User.Password()
	if _, changed := MaskQuery(u.RawQuery, ""); !changed && !password {
		return rawURL
	}
	return MaskURL(u, "")
}
