package providers

import "github.com/keyhole-sh/keyhole/internal/browser"

// openChecked hands raw to open only when browser.Check allows it.
func openChecked(open func(string) error, raw string) error {
	if err := browser.Check(raw); err != nil {
		return err
	}
	return open(raw)
}
