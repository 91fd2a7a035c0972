package ui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestFitListKeepsWholeItems: a list of keys too long for its pane loses
// its last items, never half of one.
func TestFitListKeepsWholeItems(t *testing.T) {
	items := []string{"r new token", "x revoke", "i introspect", "c copy", "v claims", "ctrl+r reveal"}
	for _, c := range []struct {
		w    int
		want string
	}{
		{200, "r new token · x revoke · i introspect · c copy · v claims · ctrl+r reveal"},
		{60, "r new token · x revoke · i introspect · c copy · v claims"},
		{56, "r new token · x revoke · i introspect · c copy"},
		{11, "r new token"},
		{6, "r new…"},
	} {
		if got := FitList(items, " · ", c.w); got != c.want {
			t.Errorf("FitList at %d = %q; want %q", c.w, got, c.want)
		}
	}
	if got := FitList(nil, " · ", 10); got != "" {
		t.Errorf("FitList of nothing = %q", got)
	}
}

// TestShortHelpKeepsTheWayOut: where a footer's keys do not all fit, the
// ones left out are from the right, but ? (the help), q and esc stay, and
// nothing is cut mid-word.
func TestShortHelpKeepsTheWayOut(t *testing.T) {
	h := NewHelp(NewStyles(true))
	b := func(k, d string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, d)) }
	bindings := []key.Binding{b("tab", "next pane"), b("ctrl+s", "send"), b("r", "new token"), b("ctrl+r", "show/mask secrets"), b("?", "help"), b("q", "quit")}
	wide := plainText(h.Short(bindings, 200))
	if !strings.Contains(wide, "ctrl+r show/mask secrets") || !strings.HasSuffix(wide, "q quit") {
		t.Fatalf("wide footer %q", wide)
	}
	for _, w := range []int{78, 60, 40, 20} {
		got := plainText(h.Short(bindings, w))
		if lipgloss.Width(got) > w {
			t.Errorf("at %d the footer is %d wide: %q", w, lipgloss.Width(got), got)
		}
		if !strings.Contains(got, "? help") || !strings.Contains(got, "q quit") || strings.Contains(got, "…") {
			t.Errorf("at %d the footer is %q; want ? help and q quit, nothing cut", w, got)
		}
	}
	if got := plainText(h.Short(bindings, 78)); !strings.HasPrefix(got, "tab next pane • ctrl+s send • r new token • ? help") {
		t.Errorf("at 78 the footer is %q; want the first keys kept, ctrl+r left out", got)
	}
	// While typing, ctrl+c is the way out.
	typing := []key.Binding{b("esc", "cancel / leave"), b("ctrl+s", "send"), b("ctrl+r", "show/mask secrets"), b("ctrl+c", "quit")}
	if got := plainText(h.Short(typing, 40)); got != "esc cancel / leave • ctrl+c quit" {
		t.Errorf("the typing footer at 40 is %q; want esc and ctrl+c kept", got)
	}
}

func plainText(s string) string { return strings.TrimSpace(ansi.Strip(s)) }
