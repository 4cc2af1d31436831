package learn

import "github.com/maeul/maeul/internal/web"

func (h *Handlers) registerStaff(rt *web.Router) {}
