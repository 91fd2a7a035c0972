package model

import "testing"

// TestGrantedDetails: each object's type first, the rest as the server
// sent it (keys sorted); anything else as it came.
func TestGrantedDetails(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"1.00"}},{"type":"account_information"}]`,
			`payment_initiation {"instructedAmount":{"currency":"EUR","amount":"1.00"}}; account_information`},
		{`[{"actions":["a"]}]`, `[{"actions":["a"]}]`},
		{`{"type":"x"}`, `{"type":"x"}`},
		{`[]`, `[]`},
		{`not json`, `not json`},
	} {
		if got := grantedDetails(tc.in); got != tc.want {
			t.Errorf("grantedDetails(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
