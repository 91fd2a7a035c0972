package model

import (
	"encoding/json"
	"strings"
)

// grantedDetails writes the authorization_details a server granted (RFC
// 9396 §7) for the token pane's one line, each object's type first: the
// pane cuts the line at its width, and JSON's sorted keys would put
// "actions" and "locations" before the type that says what was granted.
// A value that is not an array of objects is written as the server sent
// it. The caller makes the result safe for the terminal.
func grantedDetails(raw string) string {
	var details []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &details); err != nil || len(details) == 0 {
		return raw
	}
	parts := make([]string, 0, len(details))
	for _, d := range details {
		var typ string
		if err := json.Unmarshal(d["type"], &typ); err != nil || typ == "" {
			return raw
		}
		delete(d, "type")
		part := typ
		if len(d) > 0 {
			rest, err := json.Marshal(d) // map keys come out sorted
			if err != nil {
				return raw
			}
			part += " " + string(rest)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}
