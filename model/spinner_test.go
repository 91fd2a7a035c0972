package model

import "charm.land/bubbles/v2/spinner"

func isSpinnerTick(msg any) bool {
	_, ok := msg.(spinner.TickMsg)
	return ok
}
