package learn

import "github.com/maeul/maeul/internal/web"

func (h *Handlers) registerAdmin(rt *web.Router) {}
