package model

import (
	"fmt"
	"testing"
	"time"
)

func TestDebugScreen(t *testing.T) {
	now := fixedNow
	b, _ := demoBackend(t, demoOpts(), func() time.Time { return now })
	m := newTestModel(t, b, &now)
	m = run(t, m, press("enter"))
	m = run(t, m, press("ctrl+s"))
	fmt.Println(plain(m))
}
