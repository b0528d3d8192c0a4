package online

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/redis/go-redis/v9"
)

// Redis is a Store in Redis: one hash per entity, one field per view. See
// the package doc for its layout.
type Redis struct {
	client redis.UniversalClient
	opts   RedisOptions
}

var _ Store = (*Redis)(nil)

// RedisOptions configures NewRedis. The zero value is the default.
type RedisOptions struct {
	// Prefix starts every hash key, so that several stores can share one
	// Redis database. The default is "assay:online:".
	Prefix string
	// WriteChunk is the number of rows sent in one pipeline round trip by
	// Write; the default is 1000.
	WriteChunk int
}

// Validate checks the options.
func (o RedisOptions) Validate() error {
	if o.WriteChunk < 0 {
		return fmt.Errorf("redis options: negative write chunk: %w", ErrInvalid)
	}
	return nil
}

// writeScript sets field ARGV[1] of hash KEYS[1] to record ARGV[2] unless
// the stored record's (event, created) bytes, 2..17, are greater. Records
// shorter than the header are replaced. Returns 1 when it wrote.
var writeScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur and #cur >= 17 then
  local new = ARGV[2]
  for i = 2, 17 do
    local a, b = string.byte(cur, i), string.byte(new, i)
    if a ~= b then
      if a > b then return 0 end
      break
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`)

// NewRedis returns a store on the given client, which it owns from now on:
// Close closes it. It loads the write script into the server.
func NewRedis(ctx context.Context, client redis.UniversalClient, opts RedisOptions) (*Redis, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Prefix == "" {
		opts.Prefix = "assay:online:"
	}
	if opts.WriteChunk == 0 {
		opts.WriteChunk = 1000
	}
	if err := writeScript.Load(ctx, client).Err(); err != nil {
		return nil, fmt.Errorf("online store on redis: load script: %w", err)
	}
	return &Redis{client: client, opts: opts}, nil
}

func (s *Redis) hashKey(k EntityKey) string { return s.opts.Prefix + k.enc }

// Write implements Store. Rows go in pipelines of WriteChunk script calls;
// each call is atomic on the server, so latest-wins holds under concurrent
// writers. A Write that fails part way may have stored some of its rows.
func (s *Redis) Write(ctx context.Context, view string, features []string, rows []Row) error {
	sc, err := newSchema(view, features, rows)
	if err != nil {
		return err
	}
	var buf []byte
	for start := 0; start < len(rows); start += s.opts.WriteChunk {
		end := min(start+s.opts.WriteChunk, len(rows))
		chunk := rows[start:end]
		if err := s.writeChunk(ctx, sc, chunk, buf); err != nil {
			return fmt.Errorf("write %s: %w", view, err)
		}
	}
	return nil
}

func (s *Redis) writeChunk(ctx context.Context, sc *schema, rows []Row, buf []byte) error {
	args := make([]string, 2*len(rows))
	for i := range rows {
		buf = sc.appendRecord(buf[:0], &rows[i])
		args[2*i] = s.hashKey(rows[i].Key)
		args[2*i+1] = string(buf)
	}
	run := func() ([]redis.Cmder, error) {
		return s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i := range rows {
				writeScript.EvalSha(ctx, p, args[2*i:2*i+1], sc.view, args[2*i+1])
			}
			return nil
		})
	}
	_, err := run()
	if err != nil && isNoScript(err) {
		// The server lost its script cache (restart, SCRIPT FLUSH): load
		// again and resend; rewriting is harmless under latest-wins.
		if err := writeScript.Load(ctx, s.client).Err(); err != nil {
			return err
		}
		_, err = run()
	}
	return redisErr(err)
}

func isNoScript(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT")
}

// Read implements Store: one HMGET per key, all in one pipeline.
func (s *Redis) Read(ctx context.Context, keys []EntityKey, refs []FeatureRef, opts ReadOptions) ([][]Result, error) {
	p, err := newPlan(refs, opts)
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		if k.IsZero() {
			return nil, fmt.Errorf("read: key %d: zero entity key: %w", i, ErrInvalid)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := p.results(len(keys))
	if len(keys) == 0 || len(p.views) == 0 {
		return out, nil
	}
	var cmds []*redis.SliceCmd
	if len(keys) == 1 {
		cmd := s.client.HMGet(ctx, s.hashKey(keys[0]), p.views...)
		if err := cmd.Err(); err != nil {
			return nil, fmt.Errorf("read: %w", redisErr(err))
		}
		cmds = []*redis.SliceCmd{cmd}
	} else {
		cmds = make([]*redis.SliceCmd, len(keys))
		_, err := s.client.Pipelined(ctx, func(pl redis.Pipeliner) error {
			for i, k := range keys {
				cmds[i] = pl.HMGet(ctx, s.hashKey(k), p.views...)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read: %w", redisErr(err))
		}
	}
	for i, cmd := range cmds {
		for v, field := range cmd.Val() {
			if field == nil {
				continue
			}
			rec, ok := field.(string)
			if !ok {
				return nil, fmt.Errorf("read %s: view %s: field of type %T: %w", keys[i], p.views[v], field, ErrCorrupt)
			}
			// fill only reads the record: view the string's bytes in place
			// rather than copy each record.
			if err := p.fill(out[i], v, unsafe.Slice(unsafe.StringData(rec), len(rec))); err != nil {
				return nil, fmt.Errorf("read %s: %w", keys[i], err)
			}
		}
	}
	return out, nil
}

// Close implements Store; it closes the client.
func (s *Redis) Close() error { return redisErr(s.client.Close()) }

// redisErr maps go-redis's closed-client error to ErrClosed.
func redisErr(err error) error {
	if errors.Is(err, redis.ErrClosed) {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return err
}
