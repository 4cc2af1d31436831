package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/smtp"
	"strings"
	"time"
)

// SMTPDriver sends e-mail through an SMTP relay.
type SMTPDriver struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
}

// Deliver sends one plain-text UTF-8 message.
func (d SMTPDriver) Deliver(ctx context.Context, channel, to, subject, body string) error {
	host, _, _ := strings.Cut(d.Addr, ":")
	var auth smtp.Auth
	if d.Username != "" {
		auth = smtp.PlainAuth("", d.Username, d.Password, host)
	}
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\nDate: %s\r\n\r\n%s\r\n",
		d.From, to, mime.BEncoding.Encode("UTF-8", subject), time.Now().Format(time.RFC1123Z), body)
	return smtp.SendMail(d.Addr, auth, d.From, []string{to}, msg.Bytes())
}

// HTTPSMSDriver posts each SMS as JSON {"to","text"} to a gateway, the shape
// most Korean SMS relays accept behind a small adapter.
type HTTPSMSDriver struct {
	URL    string
	Token  string
	Client *http.Client
}

// Deliver posts one message and treats any non-2xx answer as a failure.
func (d HTTPSMSDriver) Deliver(ctx context.Context, channel, to, subject, body string) error {
	b, _ := json.Marshal(map[string]string{"to": to, "text": body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if d.Token != "" {
		req.Header.Set("Authorization", "Bearer "+d.Token)
	}
	c := d.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway answered %s", resp.Status)
	}
	return nil
}
