package model

import (
	"strings"
	"testing"

	"github.com/keyhole-sh/keyhole/app"
	"github.com/keyhole-sh/keyhole/exchange/history"
)

// TestHistoryIsReadAfterTheFirstFrame: the backend only prepares the
// history, and starting it reads nothing: a long history is parsed once
// the clock first ticks, after the first frame, not beside it. An H
// before that asks for the read, says the history is being read, and
// the picker opens once it has been.
func TestHistoryIsReadAfterTheFirstFrame(t *testing.T) {
	w := newWorld(t)
	dir := t.TempDir()
	earlier, err := history.Open(dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := earlier.Add(history.Entry{Time: fixedNow, Provider: "demo-cc", Method: "GET", URL: "https://h.test/from-an-earlier-session", Status: 200}); err != nil {
		t.Fatal(err)
	}
	withHistory := func() (*history.History, *app.Backend) {
		t.Helper()
		hist, err := history.Prepare(dir, 10)
		if err != nil {
			t.Fatal(err)
		}
		b := *w.m.backend
		b.History = hist
		return hist, &b
	}

	hist, b := withHistory()
	m := run(t, w.m, backendMsg{backend: b})
	if hist.Loaded() {
		t.Fatal("the backend's start read the history")
	}
	if ticked := update(t, m, tickMsg(fixedNow)); !ticked.historyAsked {
		t.Error("a tick asked for the history's read and forgot it had: every tick would ask again")
	}
	run(t, m, tickMsg(fixedNow))
	if !hist.Loaded() {
		t.Fatal("the clock ticked and the history was not read")
	}

	hist, b = withHistory()
	m = run(t, w.m, backendMsg{backend: b})
	m = update(t, m, press("H"))
	if hasPopup(m, popHistory) || !strings.Contains(plain(m), "reading the history") {
		t.Fatalf("H before the history was read:\n%s", plain(m))
	}
	m = run(t, w.m, backendMsg{backend: b})
	m = run(t, m, press("H"))
	if !hist.Loaded() || !hasPopup(m, popHistory) || !strings.Contains(plain(m), "from-an-earlier-session") || strings.Contains(plain(m), "reading the history") {
		t.Fatalf("the picker did not open on the history once read, or still says it is reading:\n%s", plain(m))
	}
}
