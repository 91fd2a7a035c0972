package partest

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The RFCs' published examples. RFC 9126 §2.1's pushed request (as the
// RFC prints it, line breaks removed) with its client s6BhdRkqt3, whose
// Basic credentials the example carries; RFC 9396 §2's combined
// authorization_details (account information and a payment initiation,
// as draft-ietf-oauth-rar-11 and the RFC print it).
const (
	rfc9126Auth = "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3"
	rfc9126Body = "response_type=code&state=af0ifjsldkj&client_id=s6BhdRkqt3" +
		"&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb" +
		"&code_challenge=K2-ltc83acc4h0c9w6ESC_rEMTJ3bww-uCHaoeK1t8U" +
		"&code_challenge_method=S256&scope=account-information"
	rfc9396Details = `[
   {
      "type": "account_information",
      "actions": ["list_accounts", "read_balances", "read_transactions"],
      "locations": ["https://example.com/accounts"]
   },
   {
      "type": "payment_initiation",
      "actions": ["initiate", "status", "cancel"],
      "locations": ["https://example.com/payments"],
      "instructedAmount": {"currency": "EUR", "amount": "123.50"},
      "creditorName": "Merchant A",
      "creditorAccount": {"iban": "DE02100100109307118603"},
      "remittanceInformationUnstructured": "Ref Number Merchant"
   }
]`
)

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// rfcClient is the example's client, read from its Basic header, so
// that the credentials are the RFC's and not retyped.
func rfcClient(t *testing.T) map[string]string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(rfc9126Auth, "Basic "))
	if err != nil {
		t.Fatal(err)
	}
	id, sec, _ := strings.Cut(string(raw), ":")
	return map[string]string{id: sec}
}

func push(t *testing.T, s *Server, auth, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/par", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// TestAcceptsTheRFCExamples: the verifier takes RFC 9126's pushed request
// and answers as §2.2 says, then RFC 9126 §4's authorization request with
// client_id and request_uri only; and it takes RFC 9396's combined
// authorization_details.
func TestAcceptsTheRFCExamples(t *testing.T) {
	s := New(rfcClient(t))
	defer s.Close()
	status, out := push(t, s, rfc9126Auth, rfc9126Body)
	uri, _ := out["request_uri"].(string)
	if status != http.StatusCreated || !strings.HasPrefix(uri, RequestURIPrefix) || out["expires_in"] != float64(60) {
		t.Fatalf("RFC 9126's example: %d %v (refused: %v)", status, out, s.Refusals())
	}
	resp, err := noRedirects.Get(s.URL + "/authorize?client_id=s6BhdRkqt3&request_uri=" + url.QueryEscape(uri))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc == nil || loc.Host != "client.example.org" || loc.Query().Get("state") != "af0ifjsldkj" || loc.Query().Get("code") == "" {
		t.Fatalf("the authorization request: %d %s (refused: %v)", resp.StatusCode, resp.Header.Get("Location"), s.Refusals())
	}
	withDetails := rfc9126Body + "&authorization_details=" + url.QueryEscape(rfc9396Details)
	if status, out := push(t, s, rfc9126Auth, withDetails); status != http.StatusCreated {
		t.Fatalf("RFC 9396's example: %d %v", status, out)
	}
	if got := s.PushedForms()[1].Get("authorization_details"); got != rfc9396Details {
		t.Errorf("authorization_details kept as %q", got)
	}
}

// TestRefusesWhatTheRFCsForbid: the verifier can fail — the checks a
// client could get wrong each refuse.
func TestRefusesWhatTheRFCsForbid(t *testing.T) {
	s := New(rfcClient(t))
	defer s.Close()
	for _, c := range []struct {
		name, auth, body, want string
	}{
		{"wrong secret", "Basic " + base64.StdEncoding.EncodeToString([]byte("s6BhdRkqt3:wrong")), rfc9126Body, "invalid_client"},
		{"no authentication", "", rfc9126Body, "invalid_client"},
		{"request_uri pushed", rfc9126Auth, rfc9126Body + "&request_uri=urn%3Ax", "invalid_request"},
		{"plain PKCE", rfc9126Auth, strings.Replace(rfc9126Body, "S256", "plain", 1), "invalid_request"},
		{"details without type", rfc9126Auth, rfc9126Body + "&authorization_details=" + url.QueryEscape(`[{"actions":["read"]}]`), "invalid_authorization_details"},
		{"details not an array", rfc9126Auth, rfc9126Body + "&authorization_details=" + url.QueryEscape(`{"type":"x"}`), "invalid_authorization_details"},
	} {
		status, out := push(t, s, c.auth, c.body)
		if status < 400 || out["error"] != c.want {
			t.Errorf("%s: %d %v, want %s", c.name, status, out, c.want)
		}
	}
	_, out := push(t, s, rfc9126Auth, rfc9126Body)
	uri := out["request_uri"].(string)
	for _, c := range []struct{ name, query string }{
		{"a parameter beside request_uri", "client_id=s6BhdRkqt3&scope=more&request_uri=" + url.QueryEscape(uri)},
		{"another client", "client_id=other&request_uri=" + url.QueryEscape(uri)},
	} {
		resp, err := noRedirects.Get(s.URL + "/authorize?" + c.query)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", c.name, resp.StatusCode)
		}
	}
}
