package model

import (
	"strings"
	"testing"
)

// sendBig gets /api/big?mb=N from the demo into the response pane.
func (w *world) sendBig(mb string) {
	w.t.Helper()
	w.m = run(w.t, w.m, press("enter"))
	w.m.composer.SetRequest("GET", "/api/big?mb="+mb, "", "")
	w.m = run(w.t, w.m, press("ctrl+s"))
	if w.m.ex == nil || w.m.ex.Response == nil || w.m.ex.Response.Status != 200 || w.m.insp.doc == nil {
		w.t.Fatalf("no big response: %+v", w.m.ex)
	}
	w.m.focus = paneResponse
}

// typeText types into whatever has the keyboard, running what each key
// starts.
func (w *world) typeText(s string) {
	for _, r := range s {
		w.m = run(w.t, w.m, press(string(r)))
	}
}

func TestSearchFindsTheLastElement(t *testing.T) {
	w := newWorld(t)
	w.sendBig("1")
	w.m = run(t, w.m, press("G"))
	last := lastID(t, plain(w.m))
	w.m = run(t, w.m, press("g"))
	w.m = run(t, w.m, press("/"))
	w.typeText(last)
	if len(w.m.insp.hits) != 1 {
		t.Fatalf("search %q: %d hits", last, len(w.m.insp.hits))
	}
	if !strings.Contains(plain(w.m), `"id": "`+last+`"`) {
		t.Errorf("the hit at the very end is not on screen:\n%s", plain(w.m))
	}
}

func lastID(t *testing.T, screen string) string {
	t.Helper()
	i := strings.LastIndex(screen, `"id": "`)
	if i < 0 {
		t.Fatalf("no id on screen:\n%s", screen)
	}
	rest := screen[i+len(`"id": "`):]
	return rest[:strings.IndexByte(rest, '"')]
}
