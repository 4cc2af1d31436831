package notify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/smtp"
	"os"
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

// FileDriver appends every message, whole, to a file on the server: one
// JSON object a line (FileMessage). It is how the demo, and the tests, read
// what people were sent — sign-in codes included, which the outbox never
// shows. The file is kept at mode 0600, so on the machine only the server's
// operator reads it; several instances may append to one file.
type FileDriver struct {
	Path string
}

// NewFileDriver returns the driver of path after making sure it can write
// there: the file is created (mode 0600) if it does not exist.
func NewFileDriver(path string) (FileDriver, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return FileDriver{}, err
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return FileDriver{Path: path}, err
}

// FileMessage is one line of a FileDriver's file.
type FileMessage struct {
	Time      time.Time `json:"time"`
	Channel   string    `json:"channel"`
	Recipient string    `json:"recipient"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
}

// Deliver appends one message as one line, in one write.
func (d FileDriver) Deliver(ctx context.Context, channel, to, subject, body string) error {
	line, err := json.Marshal(FileMessage{Time: time.Now().UTC().Truncate(time.Second), Channel: channel, Recipient: to, Subject: subject, Body: body})
	if err != nil {
		return err
	}
	f, err := os.OpenFile(d.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	// A file that was there before, with a looser mode, is closed to others
	// first; one that belongs to someone else refuses, and nothing is written.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadFile returns the messages a FileDriver wrote to path, oldest first.
func ReadFile(path string) ([]FileMessage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []FileMessage
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var m FileMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, len(out)+1, err)
		}
		out = append(out, m)
	}
	return out, sc.Err()
}
