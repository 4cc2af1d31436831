package identity

import (
	"net/http"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// formFailure puts a refusal on a form page: its message and the field at
// fault, and the status to answer with. An error that is not a refusal is
// returned, for the error page.
func formFailure(r *http.Request, failure error, msg, field *string) (int, error) {
	if failure == nil {
		return http.StatusOK, nil
	}
	e, ok := errs.As(failure)
	if !ok {
		return 0, failure
	}
	*msg, *field = web.Message(r, e), e.Field
	return web.Status(e), nil
}
