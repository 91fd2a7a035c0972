package model

import "testing"

// browserScreen is the demo at w×h with a token and a response, then the
// picker opened (o), its spec loaded, and keys typed (each rune a key;
// "enter", "tab" and "down" as themselves).
func browserScreen(t *testing.T, w, h int, keys ...string) string {
	t.Helper()
	wo := demoResponse(t, w, h)
	wo.m = run(t, wo.m, press("o"))
	for _, k := range keys {
		switch k {
		case "enter", "tab", "down", "esc":
			wo.m = run(t, wo.m, press(k))
		default:
			wo.typeText(k)
		}
	}
	return plain(wo.m)
}
