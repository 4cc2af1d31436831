package identity

// What the verifier's desk says about an answer: first whether the card
// itself can be trusted, then each question asked and its own answer. The
// two are kept apart so that "65세 이상: 아니요" never sits under a green
// "확인되었습니다": a valid card with the answer no is a valid card, and an
// answer is only ever read from a valid card.

// Card states at the desk (identity.card_state.<state>).
const (
	CardPending   = "pending"   // the citizen has not answered yet
	CardValid     = "valid"     // the card verified: its answers can be read
	CardSuspended = "suspended" // suspended by the citizen or the city
	CardRevoked   = "revoked"
	CardExpired   = "expired"
	CardUntrusted = "untrusted" // its signature or issuer is not trusted, or it was altered
	CardUnchecked = "unchecked" // it could not be checked (not the holder's phone, another request, unreadable …)
	CardDeclined  = "declined"  // the citizen chose not to share
)

// CardStates are every state the desk can show.
var CardStates = []string{CardPending, CardValid, CardSuspended, CardRevoked, CardExpired, CardUntrusted, CardUnchecked, CardDeclined}

// CardState is the card's state as the desk names it, from the outcome of
// a request and the reason an answer was refused.
func CardState(outcome, reason string) string {
	switch outcome {
	case OutcomePending:
		return CardPending
	case OutcomeValid:
		return CardValid
	case OutcomeDeclined:
		return CardDeclined
	}
	switch reason {
	case "identity.reason_suspended":
		return CardSuspended
	case "identity.reason_revoked":
		return CardRevoked
	case "identity.reason_expired":
		return CardExpired
	case "identity.reason_signature", "identity.reason_unknown_issuer", "identity.reason_altered", "identity.reason_type":
		return CardUntrusted
	}
	return CardUnchecked
}

// Kinds of answer (Fact.Answer): each is drawn with its own icon and
// word, never by colour alone.
const (
	AnswerYes   = "yes"   // ✓ 예
	AnswerNo    = "no"    // ✗ 아니요
	AnswerValue = "value" // a value in words: a district's name, a date, a number
	AnswerNone  = "none"  // no answer: the card was not valid, or the claim was not disclosed
)

// answerKind is the kind of a disclosed value.
func answerKind(v any) string {
	switch x := v.(type) {
	case nil:
		return AnswerNone
	case bool:
		if x {
			return AnswerYes
		}
		return AnswerNo
	}
	return AnswerValue
}
