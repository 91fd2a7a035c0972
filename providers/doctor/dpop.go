package doctor

import (
	"fmt"
	"strings"
)

// The DPoP findings (RFC 9449).
const (
	CodeDPoPAsBearer = "dpop_as_bearer"
	CodeDPoPProof    = "invalid_dpop_proof"
	CodeDPoPNonce    = "use_dpop_nonce"
	CodeDPoPRequired = "dpop_required"
)

// Ranks of the DPoP findings: a bound token sent as a bearer token is a
// scheme wrong; a refused proof comes right after.
const (
	rankDPoPAsBearer = rankScheme
	rankDPoPProof    = rankScheme + 2
	rankDPoPNonce    = rankScheme + 3
)

// boundTo is the thumbprint the token is bound to (its cnf.jkt), or
// "DPoP" when only its token_type says it is bound; "" for a token bound
// to no key.
func (d *doctor) boundTo() string {
	if d.claims != nil {
		if cnf, ok := d.claims.Raw["cnf"].(map[string]any); ok {
			if jkt, ok := cnf["jkt"].(string); ok && jkt != "" {
				return jkt
			}
		}
	}
	if d.tok != nil && strings.EqualFold(strings.TrimSpace(d.tok.Type), "DPoP") {
		return "DPoP"
	}
	return ""
}

// checkDPoP: a DPoP-bound token sent with the Bearer scheme, which RFC
// 9449 §7.2 tells servers to refuse; and the DPoP challenges' own
// verdicts, invalid_dpop_proof and use_dpop_nonce (§7.1, §9).
func (d *doctor) checkDPoP() {
	dpopOn := "`dpop = true`"
	if !d.p.DPoP {
		dpopOn = "set `dpop = true` in the provider's table, so that keyhole sends the token with the DPoP scheme and a proof"
	}
	if jkt := d.boundTo(); jkt != "" && strings.EqualFold(d.where.header, "Authorization") {
		if words := strings.Fields(d.authPrefix()); len(words) == 1 && strings.EqualFold(words[0], "Bearer") {
			bound := "bound to a DPoP key (cnf.jkt " + d.quote(jkt) + ")"
			if jkt == "DPoP" {
				bound = "DPoP-bound (token_type=DPoP)"
			}
			fix := dpopOn
			switch {
			case d.p.DPoP && d.configProduced():
				fix = fmt.Sprintf("keyhole sends a token with the scheme its token_type names, and the server issued this one as token_type=%s though it bound it to a key: the server should answer token_type=DPoP (RFC 9449 §5); ask its administrator", d.quote(d.tok.Type))
			case d.p.DPoP:
				fix = "let keyhole write the Authorization header: remove the `Bearer` one written in the request"
			}
			d.add(rankDPoPAsBearer, CodeDPoPAsBearer,
				fmt.Sprintf("the token is %s but went as `Authorization: Bearer %s`: a DPoP-bound token is refused as a bearer token (RFC 9449 §7.2)", bound, mask("")),
				fix)
		}
	}
	if !d.p.DPoP && d.auth != "" && !d.has(CodeDPoPAsBearer) && d.onlyDPoP() {
		d.add(rankDPoPAsBearer, CodeDPoPRequired,
			"the API challenges with the DPoP scheme alone (RFC 9449): it takes no bearer token, and this provider has no `dpop = true`",
			dpopOn)
	}
	for _, c := range d.challenges {
		if !c.Is("DPoP") {
			continue
		}
		said := ""
		if desc := d.quote(c.ErrorDescription()); desc != "" {
			said = fmt.Sprintf(" (%q)", desc)
		}
		algs := ""
		if a := d.quote(c.Param("algs")); a != "" {
			algs = "; it accepts " + a
		}
		switch c.ErrorCode() {
		case "invalid_dpop_proof":
			fix := "check that the clocks agree (a proof is dated) and that the server accepts the key's algorithm; `dpop_key_file` may name a key of another type" + algs
			if !d.p.DPoP {
				fix = dpopOn
			}
			d.add(rankDPoPProof, CodeDPoPProof, "the server refused the DPoP proof: invalid_dpop_proof"+said, fix)
		case "use_dpop_nonce":
			fix := "keyhole sends the request once more with the server's nonce by itself: if this is that second answer, the server refused its own nonce; send again, and check the server's DPoP settings"
			if !d.p.DPoP {
				fix = dpopOn
			}
			d.add(rankDPoPNonce, CodeDPoPNonce, "the server wants a nonce in the DPoP proof: use_dpop_nonce"+said, fix)
		}
	}
}

// onlyDPoP reports whether the response challenges with DPoP and no other
// scheme.
func (d *doctor) onlyDPoP() bool {
	for _, c := range d.challenges {
		if !c.Is("DPoP") {
			return false
		}
	}
	return len(d.challenges) > 0
}
