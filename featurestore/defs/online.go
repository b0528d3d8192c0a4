package defs

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// RedisPasswordEnv is the environment variable that holds the Redis
// password. Definitions are stored in the repository, so a password in
// the url is refused.
const RedisPasswordEnv = "ASSAY_REDIS_PASSWORD"

// redisURL checks a Redis URL: redis:// or rediss://, a host, an optional
// database number, and no password.
func redisURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%q: %v", s, err)
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("%q: want a redis:// or rediss:// URL", s)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q: no host", s)
	}
	if _, set := u.User.Password(); set {
		return nil, fmt.Errorf("the url holds a password, and definitions are stored in the repository: set %s instead", RedisPasswordEnv)
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		if n, err := strconv.Atoi(db); err != nil || n < 0 {
			return nil, fmt.Errorf("%q: the path %q is not a database number", s, u.Path)
		}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: no query or fragment allowed", s)
	}
	return u, nil
}
