package model

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestStartingBecomesTheModel drives Starting as Bubble Tea does: the
// messages that come before the model is built (the window size, a key)
// reach it, in order, once it is; from then on the program holds the
// model itself.
func TestStartingBecomesTheModel(t *testing.T) {
	opts := Options{
		Label:       "testdata/config.toml",
		Placeholder: []string{"alpha", "beta"},
		Now:         func() time.Time { return fixedNow },
		Location:    time.UTC,
	}
	s := Starting(opts)
	if v := s.View(); v.Content != "" || v.AltScreen {
		t.Fatalf("before the model is built, View = %q (alt screen %v); want nothing", v.Content, v.AltScreen)
	}
	s, cmd := s.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if cmd != nil {
		t.Fatal("a message before the model is built started a command")
	}
	s, _ = s.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	if _, ok := s.(Model); ok {
		t.Fatal("became the model before it was built")
	}
	built := s.Init()()
	got, cmd := s.Update(built)
	m, ok := got.(Model)
	if !ok {
		t.Fatalf("after the build Update returned %T; want Model", got)
	}
	if cmd == nil {
		t.Error("the model's Init commands were not returned")
	}
	if m.width != 80 || m.height != 24 {
		t.Errorf("size %dx%d; want the 80x24 sent before the build", m.width, m.height)
	}
	if m.list.Cursor() != 1 {
		t.Errorf("cursor on row %d; want 1 (the j sent before the build)", m.list.Cursor())
	}
	if v := m.View(); !strings.Contains(v.Content, "Providers") || !v.AltScreen {
		t.Errorf("the model's first View has no Providers pane:\n%s", v.Content)
	}
}

// TestStartingPanicReachesTheProgram checks that a panic while the model
// is built is raised in Update, where Bubble Tea restores the terminal,
// and not on the goroutine that built it, which would end the process
// with the terminal left raw.
func TestStartingPanicReachesTheProgram(t *testing.T) {
	s := &starting{built: func() <-chan builtMsg {
		c := make(chan builtMsg, 1)
		c <- builtMsg{panicked: "boom"}
		return c
	}()}
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v; want boom", r)
		}
	}()
	s.Update(s.Init()())
	t.Fatal("no panic")
}

// TestRecoverWithStack: a panic raised again on another goroutine keeps
// the value and says where it first happened.
func TestRecoverWithStack(t *testing.T) {
	if recoverWithStack(nil) != nil {
		t.Error("no panic became one")
	}
	var got any
	func() {
		defer func() { got = recoverWithStack(recover()) }()
		panic("boom")
	}()
	s, _ := got.(string)
	if !strings.HasPrefix(s, "boom\n") || !strings.Contains(s, "TestRecoverWithStack") {
		t.Errorf("recoverWithStack gave %q", s)
	}
}
