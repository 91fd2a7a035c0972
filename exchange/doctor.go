package exchange

import (
	"time"

	"github.com/keyhole-sh/keyhole/providers"
	"github.com/keyhole-sh/keyhole/providers/doctor"
)

// Diagnose asks the 401/403 doctor about this exchange: what was sent,
// with which token, and what came back. It returns nil for other answers.
func (ex *Exchange) Diagnose(p *providers.Provider, now time.Time) []doctor.Finding {
	return ex.DiagnoseOp(p, now, nil)
}

// DiagnoseOp is Diagnose with what the provider's spec says of the
// operation the request was for (nil when it has no spec or the request
// matched none of its operations).
func (ex *Exchange) DiagnoseOp(p *providers.Provider, now time.Time, op *doctor.Operation) []doctor.Finding {
	if ex == nil || ex.Response == nil {
		return nil
	}
	return doctor.Diagnose(doctor.Evidence{
		Provider:       p,
		Token:          ex.Token,
		Method:         ex.Sent.Method,
		URL:            ex.Sent.URL,
		Header:         ex.Sent.Header,
		Withheld:       ex.Sent.Withheld,
		Status:         ex.Response.Status,
		ResponseHeader: ex.Response.Header,
		Body:           ex.Response.Body,
		Now:            now,
		Operation:      op,
	})
}
