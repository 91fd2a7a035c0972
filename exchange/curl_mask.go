package exchange

import (
	"sort"

	"github.com/tidwall/gjson"

	"github.com/keyhole-sh/keyhole/providers/secret"
)

// maskJSONSecrets masks the string values of credential fields
// ("client_secret", "password", "access_token"...) at any depth of a JSON
// body, keeping everything else byte for byte. Text that is not JSON comes
// back unchanged.
func maskJSONSecrets(body string) (string, bool) {
	if !gjson.Valid(body) {
		return body, false
	}
	type span struct{ from, to int }
	var spans []span
	// gjson's Index is the offset in the whole document, nested or not.
	var walk func(r gjson.Result)
	walk = func(r gjson.Result) {
		if !r.IsObject() && !r.IsArray() {
			return
		}
		r.ForEach(func(k, v gjson.Result) bool {
			if r.IsObject() && v.Type == gjson.String && secret.SensitiveParam(k.String()) && v.Index > 0 {
				spans = append(spans, span{v.Index, v.Index + len(v.Raw)})
				return true
			}
			walk(v)
			return true
		})
	}
	walk(gjson.Parse(body))
	if len(spans) == 0 {
		return body, false
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from > spans[j].from })
	out := body
	for _, s := range spans {
		if s.from < 0 || s.to > len(out) || out[s.from] != '"' {
			continue // an index gjson did not know: leave it rather than cut wrong
		}
		out = out[:s.from] + `"` + secret.Mask + `"` + out[s.to:]
	}
	return out, true
}
