package exchange

import (
	"time"

	"github.com/keyhole-sh/keyhole/providers/config"
	"github.com/keyhole-sh/keyhole/providers/doctor"
	"github.com/keyhole-sh/keyhole/spec"
)

// Diagnose asks the 401/403 doctor about this exchange: what was sent,
// with which token, and what came back. It returns nil for other answers.
func (ex *Exchange) Diagnose(p *config.Provider, now time.Time) []doctor.Finding {
	return ex.DiagnoseOp(p, now, nil)
}

// DiagnoseOp is Diagnose with what the provider's spec says of the
// operation the request was for (nil when it has no spec or the request
// matched none of its operations).
func (ex *Exchange) DiagnoseOp(p *config.Provider, now time.Time, op *doctor.Operation) []doctor.Finding {
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

// DoctorOperation is what a spec says of an operation, as the doctor takes
// it: plain data, for the doctor imports nothing of spec. With several
// security alternatives, they stand in for the flat requirement: any one
// of them is enough. nil for nil.
func DoctorOperation(op *spec.Operation) *doctor.Operation {
	if op == nil {
		return nil
	}
	scheme, scopes := op.Requirement()
	d := &doctor.Operation{Method: op.Method, Path: op.Path, ID: op.ID, Scheme: scheme, Scopes: scopes, Optional: op.TokenOptional()}
	if len(op.Security) > 1 {
		for _, alt := range op.Security {
			d.Alternatives = append(d.Alternatives, doctor.Alternative{Scheme: alt.Scheme(), Scopes: alt.ScopeNames()})
		}
	}
	return d
}
