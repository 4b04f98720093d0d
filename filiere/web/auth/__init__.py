"""Authentication: password hashes, signed session cookies, CSRF tokens, login rate limit."""
