// Package durfmt writes spans of time for people, the same way wherever
// keyhole shows one: the token's countdown, the sign-in's time left, the
// doctor's sentences, the response's timings and the notes about waits.
//
// One rule holds for every form: a span is cut, never rounded up, to the
// smallest unit the form shows — a countdown never shows more time than is
// left, and two forms never disagree on the same span — and from a day on
// every form writes days and hours, "1d 6h". A negative span is zero.
package durfmt

import (
	"fmt"
	"time"
)

const day = 24 * time.Hour

// Clock writes a span as a countdown: 0:41, 4:59, 7:59:12, then 1d 6h.
func Clock(d time.Duration) string {
	d = max(d, 0).Truncate(time.Second)
	h, m, s := int(d/time.Hour), int(d/time.Minute)%60, int(d/time.Second)%60
	switch {
	case d >= day:
		return days(d)
	case h > 0:
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// Words writes a span for a sentence, in the notation the config's
// durations use below a day: 41s, 3m12s, 5m0s, 7h59m12s, then 1d 6h.
func Words(d time.Duration) string {
	d = max(d, 0).Truncate(time.Second)
	if d >= day {
		return days(d)
	}
	return d.String()
}

// Timing writes a measured time, finer below a minute: 0.4 ms, 143 ms,
// 2.4 s, then as Words (1m15s).
func Timing(d time.Duration) string {
	d = max(d, 0)
	switch {
	case d < 10*time.Millisecond:
		tenths := d / (100 * time.Microsecond)
		return fmt.Sprintf("%d.%d ms", tenths/10, tenths%10)
	case d < time.Second:
		return fmt.Sprintf("%d ms", d/time.Millisecond)
	case d < time.Minute:
		tenths := d / (100 * time.Millisecond)
		return fmt.Sprintf("%d.%d s", tenths/10, tenths%10)
	}
	return Words(d)
}

// days writes a span of a day or more in days and hours, cut to the hour.
func days(d time.Duration) string {
	return fmt.Sprintf("%dd %dh", d/day, (d%day)/time.Hour)
}
