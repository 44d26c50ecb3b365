"""With several app processes the rate limit holds only when they share one cache: Redis, named by
PREVENTHUB_CACHE_URL. Two cache clients stand for two processes here (Redis runs beside the tests,
as it does in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from preventhub.api import auth

REDIS = "redis://127.0.0.1:6379/15"
NOW = 1_796_464_815.0  # 10:00:15 on a December morning: 45 seconds left in the minute


@pytest.fixture
def token() -> SimpleNamespace:
    return SimpleNamespace(secret_hash=uuid.uuid4().hex * 2)


@pytest.fixture
def two_redis_processes() -> Iterator[tuple[RedisCache, RedisCache]]:
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = (RedisCache(REDIS, {"KEY_PREFIX": prefix}) for _ in range(2))
    yield first, second
    first.clear()  # database 15 is the tests' own


def _requests_through(caches: tuple[Any, ...], token: SimpleNamespace, count: int) -> list[int]:
    """Statuses of ``count`` requests, taken in turn by each process's cache."""
    statuses = []
    for number in range(count):
        auth.cache = caches[number % len(caches)]
        try:
            auth.check_rate(token, now=NOW)
        except auth.ApiError as error:
            statuses.append(error.status)
        else:
            statuses.append(200)
    return statuses


@pytest.fixture(autouse=True)
def _the_real_cache_back() -> Iterator[None]:
    real = auth.cache
    yield
    auth.cache = real


def test_two_processes_sharing_redis_count_one_tokens_requests_together(
    token: SimpleNamespace, two_redis_processes: tuple[RedisCache, RedisCache], settings: Any
) -> None:
    settings.PREVENTHUB_API_REQUESTS_PER_MINUTE = 4
    assert _requests_through(two_redis_processes, token, 6) == [200, 200, 200, 200, 429, 429]


def test_two_processes_each_with_its_own_memory_would_each_allow_the_limit(
    token: SimpleNamespace, settings: Any
) -> None:
    """Why production should set PREVENTHUB_CACHE_URL: without it each process counts alone."""
    settings.PREVENTHUB_API_REQUESTS_PER_MINUTE = 4
    alone = (LocMemCache(f"a-{uuid.uuid4()}", {}), LocMemCache(f"b-{uuid.uuid4()}", {}))
    assert _requests_through(alone, token, 8) == [200] * 8


def _settings_with(cache_url: str) -> subprocess.CompletedProcess[str]:
    """The settings read by a fresh interpreter, as a deployment reads them."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from preventhub import settings; print(settings.CACHES)"],
        env={**os.environ, "PREVENTHUB_CACHE_URL": cache_url},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_redis_address_gives_every_process_the_same_cache() -> None:
    read = _settings_with("redis://127.0.0.1:6379/1")
    assert read.returncode == 0, read.stderr
    assert "django.core.cache.backends.redis.RedisCache" in read.stdout
    assert "redis://127.0.0.1:6379/1" in read.stdout


def test_the_cache_setting_takes_only_a_redis_address() -> None:
    read = _settings_with("memcached://127.0.0.1")
    assert read.returncode != 0
    assert "PREVENTHUB_CACHE_URL must be a redis:// or rediss:// address" in read.stderr
