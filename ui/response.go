package ui

import (
	"strings"

	"charm.land/bubbles/v2/viewport"
)

// ResponseView shows a response's headers and body, scrollable.
type ResponseView struct {
	vp      viewport.Model
	hasBody bool
}

// NewResponseView builds an empty viewer.
func NewResponseView() ResponseView {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{} // the root routes keys; the viewport only scrolls
	vp.SoftWrap = true
	vp.MouseWheelEnabled = true
	return ResponseView{vp: vp}
}

// SetSize sets the content area.
func (r *ResponseView) SetSize(w, h int) {
	r.vp.SetWidth(max(1, w))
	r.vp.SetHeight(max(1, h))
}

// SetContent shows headers (already masked, one per line) above body and
// scrolls to the top.
func (r *ResponseView) SetContent(st Styles, headers []string, body string) {
	var b strings.Builder
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		b.WriteString(st.Field.Render(name+":") + value + "\n")
	}
	if len(headers) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(body)
	r.vp.SetContent(b.String())
	r.vp.GotoTop()
	r.hasBody = true
}

// Clear empties the viewer.
func (r *ResponseView) Clear() {
	r.vp.SetContent("")
	r.hasBody = false
}

// ScrollBy moves the view by n lines (negative is up).
func (r *ResponseView) ScrollBy(n int) {
	if n < 0 {
		r.vp.ScrollUp(-n)
	} else {
		r.vp.ScrollDown(n)
	}
}

// PageBy moves the view by n pages.
func (r *ResponseView) PageBy(n int) { r.ScrollBy(n * max(1, r.vp.Height()-1)) }

// Top scrolls to the first line.
func (r *ResponseView) Top() { r.vp.GotoTop() }

// Bottom scrolls to the last line.
func (r *ResponseView) Bottom() { r.vp.GotoBottom() }

// ScrollPercent is how far down the view is, 0..1.
func (r *ResponseView) ScrollPercent() float64 { return r.vp.ScrollPercent() }

// YOffset is the first line shown.
func (r *ResponseView) YOffset() int { return r.vp.YOffset() }

// View draws the viewer, or the placeholder when there is nothing to show.
func (r *ResponseView) View(st Styles, placeholder string) string {
	if !r.hasBody {
		return st.Muted.Render(placeholder)
	}
	return r.vp.View()
}
