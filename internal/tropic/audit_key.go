package tropic

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The audit chain is keyed: each event's hash is an HMAC-SHA256 under a secret held
// outside the database (a key file or the environment), so that someone who can write
// to the database but has not the key cannot delete, change or insert rows and rehash
// the rest. Checkpoints (AuditCheckpoint) are signed with an Ed25519 key derived from the
// same secret and kept elsewhere, so that deleting the newest events, which a chain
// alone cannot notice once its head is moved back, is noticed too. See decision 18.

// AuditKey is one secret of the audit keyring, named by a short ID stored with each
// event it hashed.
type AuditKey struct {
	ID     string
	Secret []byte
}

// auditKeyMinBytes is the shortest secret accepted: 256 bits.
const auditKeyMinBytes = 32

// String is the key's text form, as a key file holds it: ID:HEX.
func (k AuditKey) String() string { return k.ID + ":" + hex.EncodeToString(k.Secret) }

// NewAuditKey makes a key of 32 random bytes from random (crypto/rand.Reader), with a
// random ID.
func NewAuditKey(random io.Reader) (AuditKey, error) {
	b := make([]byte, 4+auditKeyMinBytes)
	if _, err := io.ReadFull(random, b); err != nil {
		return AuditKey{}, fmt.Errorf("make audit key: %w", err)
	}
	return AuditKey{ID: "k" + hex.EncodeToString(b[:4]), Secret: b[4:]}, nil
}

// validAuditKeyID accepts 1 to 32 lower-case letters, digits and hyphens: an ID goes
// into checkpoint lines and the database as is.
func validAuditKeyID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// AuditKeyring holds every audit key still needed to verify the chain; the last one
// hashes new events and signs new checkpoints. Rotation adds a key at the end and keeps
// the old ones, for the events and checkpoints they made.
type AuditKeyring struct {
	keys []AuditKey
	// fromStart: the key file says the chain was keyed from its first event (the
	// line KeyedFromStart), so an unkeyed event anywhere is a rewrite.
	fromStart bool
}

// KeyedFromStart is the key file's line saying that the chain was keyed from its first
// event: 'tropic audit keygen' writes it for a new installation, and without it an
// attacker who can write the database could rewrite a whole chain as unkeyed events
// from before keying, which only a checkpoint would then notice.
const KeyedFromStart = "keyed-from-start"

// NewAuditKeyring returns a keyring of keys, the last one current.
func NewAuditKeyring(keys ...AuditKey) (*AuditKeyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("no audit key given")
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if !validAuditKeyID(k.ID) {
			return nil, fmt.Errorf("audit key id %q: use 1 to 32 lower-case letters, digits and hyphens", k.ID)
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("audit key id %q appears twice", k.ID)
		}
		if len(k.Secret) < auditKeyMinBytes {
			return nil, fmt.Errorf("audit key %q: the secret must be at least %d bytes (%d hex digits)", k.ID, auditKeyMinBytes, 2*auditKeyMinBytes)
		}
		seen[k.ID] = true
	}
	return &AuditKeyring{keys: append([]AuditKey(nil), keys...)}, nil
}

// ParseAuditKeys reads a keyring: entries ID:HEX, one per line (or separated by commas
// or spaces, for an environment variable), and the entry KeyedFromStart if the chain
// was keyed from its first event; blank lines and lines starting with # are ignored.
// The last key is the current key.
func ParseAuditKeys(text string) (*AuditKeyring, error) {
	var keys []AuditKey
	fromStart := false
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, entry := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if entry == KeyedFromStart {
				fromStart = true
				continue
			}
			id, secret, ok := strings.Cut(entry, ":")
			b, err := hex.DecodeString(secret)
			if !ok || err != nil {
				return nil, fmt.Errorf("line %d: an audit key is written ID:HEX (as 'tropic audit keygen' writes it)", n+1)
			}
			keys = append(keys, AuditKey{ID: id, Secret: b})
		}
	}
	r, err := NewAuditKeyring(keys...)
	if err != nil {
		return nil, err
	}
	r.fromStart = fromStart
	return r, nil
}

// WithKeyedFromStart returns the keyring marked as keying the chain from its first event.
func (r *AuditKeyring) WithKeyedFromStart() *AuditKeyring {
	c := *r
	c.fromStart = true
	return &c
}

// Current is the key that hashes new events and signs new checkpoints.
func (r *AuditKeyring) Current() AuditKey { return r.keys[len(r.keys)-1] }

// IDs lists the keys' IDs, oldest first.
func (r *AuditKeyring) IDs() []string {
	ids := make([]string, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.ID
	}
	return ids
}

func (r *AuditKeyring) secret(id string) ([]byte, bool) {
	if r == nil {
		return nil, false
	}
	for _, k := range r.keys {
		if k.ID == id {
			return k.Secret, true
		}
	}
	return nil, false
}

// Seal hashes e under the current key: it sets e.KeyID and e.Hash.
func (r *AuditKeyring) Seal(e *AuditEvent) {
	k := r.Current()
	e.KeyID = k.ID
	e.Hash = e.ComputeMAC(k.Secret)
}

// ErrAuditKeyMissing is returned when keyed events are read, or are to be written,
// without the audit key.
var ErrAuditKeyMissing = errors.New("the audit chain is keyed, and no audit key was given")

// AuditHashProblem says what is wrong with e's hash under r, or "" when it holds.
// keyedBefore tells whether an event before e in the chain was keyed: an unkeyed event
// after a keyed one is a rewrite by someone without the key, even if its hash matches.
// An event hashed with a key r does not hold is reported as such, so r may be nil when
// the chain is known to be unkeyed.
func (r *AuditKeyring) AuditHashProblem(e *AuditEvent, keyedBefore bool) string {
	switch {
	case e.KeyID == "" && keyedBefore:
		return "was hashed without the audit key after keyed events: it was rewritten by someone without the key"
	case e.KeyID == "" && r != nil && r.fromStart:
		return "was hashed without the audit key, but the key file says the chain was keyed from its first event (" + KeyedFromStart + "): it was rewritten by someone without the key"
	case e.KeyID == "":
		if e.ComputeHash() != e.Hash {
			return "was changed after it was written: its content does not match its hash"
		}
		return ""
	}
	secret, ok := r.secret(e.KeyID)
	if !ok {
		return fmt.Sprintf("names audit key %q, which is not in the keyring: it was forged, or an older key is missing from the key file", e.KeyID)
	}
	if !hmac.Equal([]byte(e.ComputeMAC(secret)), []byte(e.Hash)) {
		return "was changed after it was written: its content does not match its keyed hash"
	}
	return ""
}

// Knows reports whether the keyring holds the key with this ID.
func (r *AuditKeyring) Knows(id string) bool {
	_, ok := r.secret(id)
	return ok
}

// checkpointSigningKey derives the Ed25519 key that signs checkpoints from the audit
// secret (an HMAC under it of a fixed label, as HKDF-Expand's first block would be), so
// that one secret is kept, and the event HMACs and the signatures never share a key.
func checkpointSigningKey(secret []byte) ed25519.PrivateKey {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("tropic-audit-checkpoint-ed25519-v1"))
	return ed25519.NewKeyFromSeed(m.Sum(nil))
}

// CheckpointPublicKey returns the public key that verifies the checkpoints signed
// under key id, for anyone who should check them without holding the secret.
func (r *AuditKeyring) CheckpointPublicKey(id string) (ed25519.PublicKey, bool) {
	secret, ok := r.secret(id)
	if !ok {
		return nil, false
	}
	return checkpointSigningKey(secret).Public().(ed25519.PublicKey), true
}

// AuditCheckpoint records that the chain's event Seq had hash Head at At, signed with
// the checkpoint key of audit key KeyID. Kept outside the database, it lets verify
// notice a chain cut back below Seq or changed at or before it.
type AuditCheckpoint struct {
	Seq       int64
	Head      string
	At        time.Time
	KeyID     string
	Signature []byte
}

// AuditCheckpointTag starts every checkpoint line.
const AuditCheckpointTag = "tropic-audit-checkpoint"

// signed is the text the signature covers: the line without its signature.
func (c AuditCheckpoint) signed() string {
	return fmt.Sprintf("%s v1 seq=%d head=%s at=%s key=%s", AuditCheckpointTag, c.Seq, c.Head, c.At.UTC().Format(time.RFC3339), c.KeyID)
}

// String is the checkpoint's one-line form, to keep elsewhere.
func (c AuditCheckpoint) String() string {
	return c.signed() + " sig=" + base64.RawURLEncoding.EncodeToString(c.Signature)
}

// SignCheckpoint signs the chain's head (event seq with hash head) at time at with the
// current key.
func (r *AuditKeyring) SignCheckpoint(seq int64, head string, at time.Time) AuditCheckpoint {
	k := r.Current()
	c := AuditCheckpoint{Seq: seq, Head: head, At: at.UTC().Truncate(time.Second), KeyID: k.ID}
	c.Signature = ed25519.Sign(checkpointSigningKey(k.Secret), []byte(c.signed()))
	return c
}

// VerifyCheckpoint checks c's signature.
func (r *AuditKeyring) VerifyCheckpoint(c AuditCheckpoint) error {
	pub, ok := r.CheckpointPublicKey(c.KeyID)
	if !ok {
		return fmt.Errorf("it is signed with audit key %q, which is not in the keyring", c.KeyID)
	}
	if !ed25519.Verify(pub, []byte(c.signed()), c.Signature) {
		return errors.New("its signature does not match: the line was changed, or made without the audit key")
	}
	return nil
}

// ParseAuditCheckpoint reads one checkpoint line as String writes it, and nothing
// else: a line that parses prints back to itself. It does not check the signature.
func ParseAuditCheckpoint(line string) (AuditCheckpoint, error) {
	var c AuditCheckpoint
	f := strings.Split(line, " ")
	if len(f) != 7 || f[0] != AuditCheckpointTag || f[1] != "v1" {
		return c, fmt.Errorf("a checkpoint line reads %q v1 seq=N head=HEX at=TIME key=ID sig=SIGNATURE", AuditCheckpointTag)
	}
	val := func(i int, name string) (string, error) {
		v, ok := strings.CutPrefix(f[i], name+"=")
		if !ok {
			return "", fmt.Errorf("field %d should be %s=…", i+1, name)
		}
		return v, nil
	}
	s, err := val(2, "seq")
	if err != nil {
		return c, err
	}
	if c.Seq, err = strconv.ParseInt(s, 10, 64); err != nil || c.Seq < 0 || strconv.FormatInt(c.Seq, 10) != s {
		return c, fmt.Errorf("seq %q: give the event's sequence number, 0 or more", s)
	}
	if c.Head, err = val(3, "head"); err != nil {
		return c, err
	}
	if b, err := hex.DecodeString(c.Head); err != nil || len(b) != sha256.Size || hex.EncodeToString(b) != c.Head {
		return c, fmt.Errorf("head %q: should be 64 lower-case hex digits", c.Head)
	}
	if s, err = val(4, "at"); err != nil {
		return c, err
	}
	if c.At, err = time.Parse(time.RFC3339, s); err != nil || c.At.UTC().Format(time.RFC3339) != s {
		return c, fmt.Errorf("at %q: should be a UTC time like 2026-12-06T07:00:00Z", s)
	}
	c.At = c.At.UTC()
	if c.KeyID, err = val(5, "key"); err != nil {
		return c, err
	}
	if !validAuditKeyID(c.KeyID) {
		return c, fmt.Errorf("key %q: not an audit key id", c.KeyID)
	}
	if s, err = val(6, "sig"); err != nil {
		return c, err
	}
	if c.Signature, err = base64.RawURLEncoding.DecodeString(s); err != nil || len(c.Signature) != ed25519.SignatureSize ||
		base64.RawURLEncoding.EncodeToString(c.Signature) != s {
		return c, fmt.Errorf("sig: should be a %d-byte signature in unpadded URL-safe base64", ed25519.SignatureSize)
	}
	return c, nil
}

// ParseAuditCheckpoints reads every checkpoint in text: each line holding the tag is
// read from the tag on (so lines copied from an e-mail may keep a prefix), and must
// parse; other lines are ignored. A text without a checkpoint is an error.
func ParseAuditCheckpoints(text string) ([]AuditCheckpoint, error) {
	var out []AuditCheckpoint
	for n, line := range bytes.Split([]byte(text), []byte("\n")) {
		i := bytes.Index(line, []byte(AuditCheckpointTag))
		if i < 0 {
			continue
		}
		c, err := ParseAuditCheckpoint(strings.TrimRight(string(line[i:]), " \t\r"))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no checkpoint lines (starting %q) found", AuditCheckpointTag)
	}
	return out, nil
}
