"""Rate limits: attempts counted per key in a moving window, in memory or shared through Redis."""

from core.ratelimit.limiter import Limit, Rate, RateLimiter, RateLimiterDown

__all__ = ["Limit", "Rate", "RateLimiter", "RateLimiterDown"]
