"""The access_token: cached in Redis, fetched single-flight across processes, recovered once."""

import multiprocessing

from app.integrations.wechat import wechat


def _need_token(barrier, results):
    barrier.wait()
    results.put(wechat().access_token())


def test_twenty_concurrent_processes_cause_exactly_one_token_fetch(emulator):
    emulator.fault("/cgi-bin/token", "slow", delay_seconds=0.5)  # widen the race
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(20), ctx.Queue()
    workers = [ctx.Process(target=_need_token, args=(barrier, results)) for _ in range(20)]
    for worker in workers:
        worker.start()
    tokens = {results.get(timeout=30) for _ in workers}
    for worker in workers:
        worker.join(timeout=30)
    assert emulator.calls("/cgi-bin/token") == 1
    assert len(tokens) == 1


def test_a_token_superseded_by_another_process_is_recovered_automatically(client, emulator, wx_user, login):
    from config import get_settings

    session = login(wx_user["openid"])
    first_phone = client.put("/api/v1/me/phone", headers=session["headers"],
                             json={"code": emulator.phone_code(wx_user["openid"])})
    assert first_phone.status_code == 200
    assert emulator.calls("/cgi-bin/token") == 1
    # Someone else fetches a token with our secret; ours dies after the 5-minute overlap.
    emulator.fetch_token_as_another_process(get_settings().wechat_secret)
    emulator.advance(301)
    again = client.put("/api/v1/me/phone", headers=session["headers"],
                       json={"code": emulator.phone_code(wx_user["openid"])})
    assert again.status_code == 200, again.json
    assert emulator.calls("/cgi-bin/token") == 3  # ours, the other process's, our one refresh


def test_a_token_error_is_retried_once_never_looped(emulator, wx_user):
    import pytest

    from app.integrations.errors import WeChatError
    from app.redis_store import get_redis

    # A cached token WeChat does not know: the call fails, we refresh once and retry once.
    get_redis().set("wechat:access_token", "a-token-wechat-does-not-know")
    with pytest.raises(WeChatError) as error:
        wechat().phone_number("not-a-real-code")
    assert error.value.errcode == 40029  # the retry reached WeChat with a good token
    assert emulator.calls("/wxa/business/getuserphonenumber") == 2
    assert emulator.calls("/cgi-bin/token") == 1
