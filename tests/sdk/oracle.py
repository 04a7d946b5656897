#!/usr/bin/env python3
"""crspec SDK oracle: answers questions about what the vendors' own Python SDKs do.

Protocol: JSON Lines. One case per stdin line, exactly one JSON object per stdout line, in
order, flushed after every line (so a caller may drive it interactively or in bulk). The
process never exits on a bad case: anything the SDK (or this script) rejects becomes
``{"error": "<ExceptionType>: <text>"}``. An ``"id"`` field on a case is echoed back.
Blank input lines are skipped (no output). See tests/sdk/README.md for the full protocol.

Kinds (field ``"kind"``):
  sign      sign an already-built request with the SDK's own signer (sigv4 | tc3 | jdcloud3 | jdcloud2)
  request   the whole DescribeImages request the SDK would send (ecr | ecr_public | tcr | jdcloud)
  response  parse a DescribeImages response with the SDK's own code (same providers)
  paginate  botocore's paginator over a scripted server (ecr | ecr_public)
  verify    recompute a received request's signature with the SDK's signer (for a capture server)
  info      versions of the SDKs this process loaded

Determinism: the clock and the nonce/uuid generators the SDKs use are replaced by stand-ins
that read the case's ``time`` / ``nonce`` (module-level stand-ins, not a global patch of
``time.time``), environment variables that the SDKs read (AWS_*, TENCENTCLOUD_*, proxies,
CA bundles) are removed at start-up, and no network is ever touched: botocore's
``before-send`` event and ``requests.Session.send`` are intercepted.

SDK versions used (pinned in tests/sdk/requirements.txt; tests/sdk/setup.sh installs them):
  botocore 1.44.8, tencentcloud-sdk-python-common 3.1.195 + -tcr 3.1.189,
  jdcloud_sdk 1.6.354 (JDCLOUD3-HMAC-SHA256),
  jdcloud_sdk 1.6.94 (the newest PyPI release whose signer is JDCLOUD2-HMAC-SHA256; 1.6.95
  switched to JDCLOUD3) installed with --target into .venv/jdcloud2 and loaded under the
  module name ``jdcloud_sdk_v2`` so both versions coexist.
"""

import os
import sys

# botocore's User-Agent lists feature ids (`m/...`) out of a set, so its order follows string
# hashing: pin the hash seed (re-executing once) so that every run answers byte for byte alike.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

# --------------------------------------------------------------------------------------------
# Environment hygiene, before any SDK is imported: nothing from the caller's environment may
# change what an SDK does (credentials, regions, retry modes, config files, proxies).
# --------------------------------------------------------------------------------------------
for _k in list(os.environ):
    _u = _k.upper()
    if (_u.startswith(("AWS_", "BOTO_", "TENCENTCLOUD_", "JDCLOUD_", "JDC_"))
            or _u in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
                      "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")):
        del os.environ[_k]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

# stdout belongs to the protocol alone. Keep a private handle on the real stdout, then point
# fd 1 and sys.stdout at stderr: the JD Cloud SDK's default logger print()s every request, and
# any other stray print from an SDK must not corrupt the answer stream.
_OUT = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
os.dup2(2, 1)
sys.stdout = sys.stderr

import datetime as _dt  # noqa: E402
import importlib  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import time as _time  # noqa: E402
import traceback  # noqa: E402
import uuid as _uuid  # noqa: E402
import warnings  # noqa: E402
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import requests  # noqa: E402
from requests.structures import CaseInsensitiveDict  # noqa: E402

import botocore  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.endpoint  # noqa: E402
import botocore.session  # noqa: E402
from botocore.awsrequest import AWSRequest, AWSResponse, HeadersDict  # noqa: E402
from botocore.config import Config as BotoConfig  # noqa: E402
from botocore.credentials import Credentials as BotoCredentials  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

import tencentcloud  # noqa: E402
import tencentcloud.common.abstract_client as tc_abstract  # noqa: E402
from tencentcloud.common import credential as tc_credential  # noqa: E402
from tencentcloud.common.common_client import CommonClient as TcCommonClient  # noqa: E402
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (  # noqa: E402
    TencentCloudSDKException,
)
from tencentcloud.common.http.request import RequestInternal as TcRequestInternal  # noqa: E402
from tencentcloud.common.profile.client_profile import ClientProfile as TcClientProfile  # noqa: E402
from tencentcloud.common.profile.http_profile import HttpProfile as TcHttpProfile  # noqa: E402
from tencentcloud.common.sign import Sign as TcSign  # noqa: E402
from tencentcloud.tcr.v20190924 import models as tcr_models  # noqa: E402
from tencentcloud.tcr.v20190924 import tcr_client  # noqa: E402

import jdcloud_sdk.core.signer as jd_signer3  # noqa: E402
from jdcloud_sdk.core import const as jd_const  # noqa: E402
from jdcloud_sdk.core.config import Config as JdConfig  # noqa: E402
from jdcloud_sdk.core.credential import Credential as JdCredential  # noqa: E402
from jdcloud_sdk.core.util import base64encode as jd_base64encode  # noqa: E402
from jdcloud_sdk.services.common.models.Filter import Filter as JdFilter  # noqa: E402
from jdcloud_sdk.services.containerregistry.apis.DescribeImagesRequest import (  # noqa: E402
    DescribeImagesParameters as JdDescribeImagesParameters,
    DescribeImagesRequest as JdDescribeImagesRequest,
)
from jdcloud_sdk.services.containerregistry.client.ContainerregistryClient import (  # noqa: E402
    ContainerregistryClient as JdContainerregistryClient,
)

# The JDCLOUD2 signer lives in an older jdcloud_sdk release, installed beside the venv.
JDCLOUD2_SDK_VERSION = "1.6.94"
JDCLOUD2_PATH = Path(os.environ.get("CRSPEC_JDCLOUD2_PATH")
                     or Path(__file__).resolve().parents[2] / ".venv" / "jdcloud2")

DEFAULT_TIME = 1700000000  # used when a case gives no "time"
DEFAULT_NONCE = "00000000-0000-4000-8000-000000000000"  # used when a case gives no "nonce"


# --------------------------------------------------------------------------------------------
# Fixed clock and nonce. Each SDK module that reads the clock or makes a uuid gets a stand-in
# for its `time` / `uuid` module global; botocore gets its get_current_datetime replaced.
# --------------------------------------------------------------------------------------------
class _Clock:
    t = DEFAULT_TIME
    nonce = DEFAULT_NONCE


CLOCK = _Clock()


class _Nonce:
    """What uuid.uuid4() returns while a case runs: str() gives the case's nonce verbatim."""

    def __init__(self, text):
        self._text = text

    def __str__(self):
        return self._text

    @property
    def hex(self):
        return self._text.replace("-", "")


class _TimeShim:
    """Stand-in for the `time` module inside an SDK module: time() is the case's clock."""

    def time(self):
        return float(CLOCK.t)

    def __getattr__(self, name):
        return getattr(_time, name)


class _UuidShim:
    """Stand-in for the `uuid` module inside an SDK module: uuid4() is the case's nonce."""

    def uuid4(self):
        return _Nonce(CLOCK.nonce)

    def __getattr__(self, name):
        return getattr(_uuid, name)


def _fixed_datetime(remove_tzinfo=True):
    now = _dt.datetime.fromtimestamp(CLOCK.t, _dt.timezone.utc)
    return now.replace(tzinfo=None) if remove_tzinfo else now


# botocore: SigV4Auth.add_auth reads botocore.auth.get_current_datetime; the invocation id
# (amz-sdk-invocation-id) comes from botocore.endpoint's uuid.uuid4().
botocore.auth.get_current_datetime = _fixed_datetime
botocore.endpoint.get_current_datetime = _fixed_datetime
botocore.endpoint.uuid = _UuidShim()
# Tencent: _build_req_with_tc3_signature reads time.time(); _call makes X-TC-TraceId from uuid4.
tc_abstract.time = _TimeShim()
tc_abstract.uuid = _UuidShim()
# JD Cloud 1.6.354: Signer.signV3 reads time.time() and uuid.uuid4() unless the headers
# already carry x-jdcloud-date / x-jdcloud-nonce.
jd_signer3.time = _TimeShim()
jd_signer3.uuid = _UuidShim()


def _set_clock(case):
    t = case.get("time")
    CLOCK.t = DEFAULT_TIME if t is None else t
    n = case.get("nonce")
    CLOCK.nonce = DEFAULT_NONCE if n is None else str(n)


# --------------------------------------------------------------------------------------------
# No network: every requests-based send (Tencent's ProxyConnection, JD's requests.request) is
# captured here and answered with a canned response.
# --------------------------------------------------------------------------------------------
class _HttpSlot:
    captured = None  # the requests.PreparedRequest of the last send
    status = 200
    headers = {}
    body = b"{}"


HTTP = _HttpSlot()


def _fake_session_send(self, request, **kwargs):
    HTTP.captured = request
    resp = requests.Response()
    resp.status_code = HTTP.status
    resp.headers = CaseInsensitiveDict(HTTP.headers)
    resp._content = HTTP.body
    resp._content_consumed = True
    resp.url = request.url
    resp.request = request
    resp.reason = "OK" if HTTP.status == 200 else "Status"
    return resp


requests.Session.send = _fake_session_send


def _set_http_response(status=200, headers=None, body=b"{}"):
    HTTP.captured = None
    HTTP.status = int(status)
    HTTP.headers = dict(headers or {})
    HTTP.body = body if isinstance(body, bytes) else (body or "").encode("utf-8")


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def _s(value):
    """Header names/values and bodies as text (botocore keeps some as bytes)."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _header_pairs(headers):
    """[[name, value], ...] from a mapping or HTTPMessage, keeping order and duplicates."""
    items = headers.items() if hasattr(headers, "items") else headers
    return [[_s(k), _s(v)] for k, v in items]


def _in_headers(case):
    """The case's headers as a list of (name, value) pairs (accepts a list or an object)."""
    h = case.get("headers") or []
    if isinstance(h, dict):
        return [(str(k), str(v)) for k, v in h.items()]
    return [(str(p[0]), str(p[1])) for p in h]


def _hget(pairs, name, default=None):
    lname = name.lower()
    for k, v in pairs:
        if k.lower() == lname:
            return v
    return default


class _Output:
    """Per-case output options (case fields): ``exact_times`` writes datetimes exactly,
    ``exact_floats`` writes floats as ``"f:<repr>"`` (Python's shortest round-trip text) and
    integers beyond 64 bits as ``"i:<digits>"``, so that a reader whose float parser is not
    correctly rounded still gets the same number."""
    exact_times = False
    exact_floats = False


OUTPUT = _Output()
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _jsonable(o):
    """SDK output -> JSON: datetimes as float epoch seconds (or, for a case with
    ``"exact_times": true``, as the exact text ``"<seconds>:<microseconds>"``, whole seconds
    rounded down and six digits of microseconds: ``"-2:500000"`` is 1969-12-31T23:59:58.5Z),
    bytes as UTF-8 text."""
    if isinstance(o, dict):
        return {str(k): _jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_jsonable(v) for v in o]
    if isinstance(o, _dt.datetime):
        if o.tzinfo is None:
            o = o.replace(tzinfo=_dt.timezone.utc)
        if OUTPUT.exact_times:
            d = o - _EPOCH
            return "%d:%06d" % (d.days * 86400 + d.seconds, d.microseconds)
        return o.timestamp()
    if isinstance(o, (bytes, bytearray)):
        return bytes(o).decode("utf-8", "replace")
    if isinstance(o, Decimal):
        o = float(o)
    if isinstance(o, float) and OUTPUT.exact_floats:
        return "f:" + repr(o)
    if (isinstance(o, int) and not isinstance(o, bool) and OUTPUT.exact_floats
            and not -(1 << 63) <= o < (1 << 64)):
        return "i:%d" % o  # beyond 64 bits: a JSON reader would make it a float
    if o is None or isinstance(o, (str, int, float, bool)):
        return o
    return str(o)


def _parse_auth(auth):
    """'ALG Credential=AK/scope..., SignedHeaders=a;b, Signature=hex' -> dict (lenient)."""
    out = {"algorithm": None, "credential": None, "signed_headers": None, "signature": None}
    if not auth:
        return out
    alg, _, rest = auth.partition(" ")
    out["algorithm"] = alg
    for part in rest.split(","):
        k, _, v = part.strip().partition("=")
        if k == "Credential":
            out["credential"] = v
        elif k == "SignedHeaders":
            out["signed_headers"] = [h for h in v.split(";") if h]
        elif k == "Signature":
            out["signature"] = v
    return out


def _epoch_from_compact(stamp):
    """'20231114T221320Z' (SigV4 / JD date format) -> epoch seconds."""
    d = _dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=_dt.timezone.utc)
    return int(d.timestamp())


class _RecordingJdLogger:
    """JD signers log the canonical request and string to sign at INFO; keep them, print nothing."""

    def __init__(self):
        self.canonical_request = None
        self.string_to_sign = None

    def log(self, level, message):
        if isinstance(message, str):
            if message.startswith("---canonical_request---\n"):
                self.canonical_request = message[len("---canonical_request---\n"):]
            elif message.startswith("----string_to_sign---\n"):
                self.string_to_sign = message[len("----string_to_sign---\n"):]


# --------------------------------------------------------------------------------------------
# JD Cloud JDCLOUD2 signer (jdcloud_sdk 1.6.94), loaded lazily under another package name.
# --------------------------------------------------------------------------------------------
_JD2 = {}


def _jd2_signer_module():
    if "signer" in _JD2:
        return _JD2["signer"]
    pkg_dir = JDCLOUD2_PATH / "jdcloud_sdk"
    if not (pkg_dir / "core" / "signer.py").is_file():
        raise RuntimeError(
            "jdcloud_sdk %s (JDCLOUD2 signer) not found at %s: run tests/sdk/setup.sh "
            "(pip install --no-deps --target .venv/jdcloud2 jdcloud_sdk==%s)"
            % (JDCLOUD2_SDK_VERSION, JDCLOUD2_PATH, JDCLOUD2_SDK_VERSION))
    spec = importlib.util.spec_from_file_location(
        "jdcloud_sdk_v2", str(pkg_dir / "__init__.py"), submodule_search_locations=[str(pkg_dir)])
    pkg = importlib.util.module_from_spec(spec)
    sys.modules["jdcloud_sdk_v2"] = pkg
    spec.loader.exec_module(pkg)
    mod = importlib.import_module("jdcloud_sdk_v2.core.signer")
    if mod.const.JDCLOUD_ALGORITHM != "JDCLOUD2-HMAC-SHA256":
        raise RuntimeError("the package at %s does not sign with JDCLOUD2" % JDCLOUD2_PATH)
    # JDCLOUD2 always takes the date from time.time() and the nonce from uuid.uuid4().
    mod.time = _TimeShim()
    mod.uuid = _UuidShim()
    _JD2["signer"] = mod
    _JD2["credential"] = importlib.import_module("jdcloud_sdk_v2.core.credential").Credential
    _JD2["version"] = _dist_version(JDCLOUD2_PATH, "jdcloud_sdk")
    return mod


def _dist_version(root, name):
    for d in Path(root).glob(name + "-*.dist-info"):
        return d.name[len(name) + 1:-len(".dist-info")]
    return None


# ============================================================================================
# kind: sign
# ============================================================================================
def sign_sigv4(case):
    """botocore.auth.SigV4Auth.add_auth on an AWSRequest, clock fixed via get_current_datetime."""
    req = AWSRequest(method=case.get("method", "POST"), url=case["url"],
                     data=(case.get("body") or "").encode("utf-8"))
    for k, v in _in_headers(case):
        req.headers[k] = v  # HTTPHeaders: assignment appends, duplicates kept
    creds = BotoCredentials(case["access_key"], case["secret_key"], case.get("token"))
    signer = botocore.auth.SigV4Auth(creds, case["service"], case["region"])
    seen = {}
    cr_orig, sts_orig = signer.canonical_request, signer.string_to_sign

    def cr(r):
        seen["canonical_request"] = cr_orig(r)
        return seen["canonical_request"]

    def sts(r, c):
        seen["string_to_sign"] = sts_orig(r, c)
        return seen["string_to_sign"]

    signer.canonical_request, signer.string_to_sign = cr, sts
    signer.add_auth(req)
    return {
        # botocore never adds a Host header (the HTTP layer does); it signs the one in the URL.
        "headers": _header_pairs(req.headers),
        "signed_headers": _parse_auth(req.headers.get("Authorization"))["signed_headers"],
        "canonical_request": seen.get("canonical_request"),
        "string_to_sign": seen.get("string_to_sign"),
    }


class _JsonDumpsVerbatim:
    """Stand-in for abstract_client's `json` during a sign: dumps() returns the given body."""

    def __init__(self, body):
        self._body = body

    def dumps(self, *a, **k):
        return self._body

    def __getattr__(self, name):
        return getattr(json, name)


class _Sha256Recorder:
    """Stand-in for abstract_client's `hashlib`: records what _get_tc3_signature hashes."""

    def __init__(self):
        self.inputs = []

    def sha256(self, data=b""):
        self.inputs.append(data)
        import hashlib
        return hashlib.sha256(data)

    def __getattr__(self, name):
        import hashlib
        return getattr(hashlib, name)


def _tc3_client_for(case, pairs, url):
    """A CommonClient configured from the request's own X-TC-* headers (see README)."""
    u = urlsplit(url)
    hp = TcHttpProfile(protocol=u.scheme or "https", endpoint=u.netloc,
                       reqMethod=case.get("method", "POST").upper())
    profile = TcClientProfile(httpProfile=hp)
    # The SDK adds X-TC-Language from the profile (default zh-CN): follow the request.
    profile.language = _hget(pairs, "X-TC-Language")
    profile.unsignedPayload = _hget(pairs, "X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD"
    version = _hget(pairs, "X-TC-Version") or "2019-09-24"
    region = case.get("region") or _hget(pairs, "X-TC-Region") or ""
    cred = tc_credential.Credential(case["access_key"], case["secret_key"], case.get("token"))
    client = TcCommonClient(case.get("service") or "tcr", version, cred, region, profile)
    rc = _hget(pairs, "X-TC-RequestClient")
    if rc is not None:
        client.request_client = rc  # unsigned; makes the header list comparable
    return client


def sign_tc3(case):
    """AbstractClient._build_req_with_tc3_signature on the given request, body signed verbatim."""
    pairs = _in_headers(case)
    url = case["url"]
    u = urlsplit(url)
    client = _tc3_client_for(case, pairs, url)
    method = case.get("method", "POST").upper()
    req = TcRequestInternal(u.netloc, method, u.path or "/", header=CaseInsensitiveDict(pairs))
    action = _hget(pairs, "X-TC-Action") or "DescribeImages"
    body = case.get("body") or ""
    rec = _Sha256Recorder()
    seen = {}
    orig_sign_tc3 = TcSign.sign_tc3

    def sign_tc3_rec(secret_key, date, service, str2sign):
        seen["string_to_sign"] = str2sign
        return orig_sign_tc3(secret_key, date, service, str2sign)

    # The SDK builds the body itself (json.dumps for POST, urlencode for GET); make those
    # return the request's own body / query so the signer sees exactly the given bytes.
    saved = (tc_abstract.json, tc_abstract.urlencode, tc_abstract.hashlib)
    tc_abstract.json = _JsonDumpsVerbatim(body)
    tc_abstract.urlencode = lambda params, *a, **k: u.query
    tc_abstract.hashlib = rec
    TcSign.sign_tc3 = staticmethod(sign_tc3_rec)
    try:
        client._build_req_with_tc3_signature(action, {}, req, None)
    finally:
        tc_abstract.json, tc_abstract.urlencode, tc_abstract.hashlib = saved
        TcSign.sign_tc3 = staticmethod(orig_sign_tc3)
    out = {"headers": _header_pairs(req.header), "signed_headers": ["content-type", "host"]}
    # _get_tc3_signature hashes the payload first, then the canonical request.
    if len(rec.inputs) >= 2:
        out["canonical_request"] = _s(rec.inputs[1])
    out["string_to_sign"] = seen.get("string_to_sign")
    if method == "GET":
        out["url"] = "%s://%s%s?%s" % (u.scheme, u.netloc, u.path or "/", req.data)
    else:
        out["body"] = _s(req.data)
    return out


def _jd_sign(case, version):
    """jdcloud_sdk Signer.sign (JDCLOUD3 from 1.6.354, or JDCLOUD2 from 1.6.94)."""
    if version == 2:
        mod = _jd2_signer_module()
        cred = _JD2["credential"](case["access_key"], case["secret_key"])
    else:
        mod = jd_signer3
        cred = JdCredential(case["access_key"], case["secret_key"])
    headers = {}
    for k, v in _in_headers(case):
        headers[k] = v  # the SDK uses a plain (case-sensitive) dict
    # JDCloudClient.send takes the token from the x-jdcloud-security-token request header
    # (which __merge_headers base64-encodes); a bare "token" is put there the same way.
    token = case.get("token")
    if token and jd_const.JDCLOUD_SECURITY_TOKEN not in headers:
        headers[jd_const.JDCLOUD_SECURITY_TOKEN] = jd_base64encode(token)
    security_token = headers.get(jd_const.JDCLOUD_SECURITY_TOKEN, "")
    log = _RecordingJdLogger()
    mod.Signer(log).sign(method=case.get("method", "GET"), service=case.get("service") or "containerregistry",
                         region=case["region"], uri=case["url"], headers=headers,
                         data=case.get("body") or "", credential=cred, security_token=security_token)
    auth = _parse_auth(headers.get("Authorization"))
    return {"headers": _header_pairs(headers), "signed_headers": auth["signed_headers"],
            "canonical_request": log.canonical_request, "string_to_sign": log.string_to_sign}


def do_sign(case):
    scheme = case.get("scheme")
    if scheme == "sigv4":
        return sign_sigv4(case)
    if scheme == "tc3":
        return sign_tc3(case)
    if scheme == "jdcloud3":
        return _jd_sign(case, 3)
    if scheme == "jdcloud2":
        return _jd_sign(case, 2)
    raise ValueError("unknown scheme %r" % (scheme,))


# ============================================================================================
# kind: request
# ============================================================================================
_AWS_SERVICE = {"ecr": "ecr", "ecr_public": "ecr-public"}
_BOTO_SESSION = botocore.session.get_session()
_BOTO_CLIENTS = {}


class _AwsSlot:
    captured = None
    status = 200
    headers = {}
    body = b"{}"
    # paginate: {nextToken or "": page}, the request bodies sent, and a cap on requests
    script = None
    sent = []
    max_requests = 50


AWS = _AwsSlot()


class _RawBody:
    def __init__(self, data):
        self._data = data

    def stream(self, **kwargs):
        if self._data:
            yield self._data


class ScriptError(Exception):
    """A paginate case's scripted server has no answer (no page for a token, or too many calls)."""


def _aws_before_send(request, **kwargs):
    """botocore 'before-send': keep the AWSPreparedRequest, answer with the canned response
    (or, while a paginate case runs, with the scripted page for the request's nextToken)."""
    AWS.captured = request
    if AWS.script is not None:
        return _scripted_page(request)
    return AWSResponse(request.url, AWS.status, HeadersDict(AWS.headers), _RawBody(AWS.body))


def _scripted_page(request):
    body = json.loads(_s(request.body) or "{}")
    AWS.sent.append(body)
    if len(AWS.sent) > AWS.max_requests:
        raise ScriptError("more than %d requests" % AWS.max_requests)
    token = body.get("nextToken")
    key = "" if token is None else token
    page = AWS.script.get(key)
    if page is None:
        raise ScriptError("no scripted page for nextToken %r" % (token,))
    return AWSResponse(request.url, int(page.get("status", 200)),
                       HeadersDict(dict(_in_headers(page))),
                       _RawBody((page.get("body") or "").encode("utf-8")))


def _boto_client(provider, region, endpoint, for_responses=False):
    key = (provider, region, endpoint, for_responses)
    client = _BOTO_CLIENTS.get(key)
    if client is None:
        kwargs = {"region_name": region, "endpoint_url": endpoint,
                  "aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "SECRET"}
        if for_responses:
            # parse exactly what was given: no retries on 5xx / throttling codes
            kwargs["config"] = BotoConfig(retries={"total_max_attempts": 1})
        client = _BOTO_SESSION.create_client(_AWS_SERVICE[provider], **kwargs)
        client.meta.events.register("before-send", _aws_before_send)
        _BOTO_CLIENTS[key] = client
    return client


def request_aws(case):
    client = _boto_client(case["provider"], case.get("region"), case.get("endpoint"))
    ak = case.get("access_key")
    client._request_signer._credentials = (
        BotoCredentials(ak, case.get("secret_key"), case.get("token")) if ak else None)
    params = case.get("params") or {}
    if not isinstance(params, dict):
        raise TypeError("params must be an object")
    AWS.captured, AWS.status, AWS.headers, AWS.body = None, 200, {}, b"{}"
    client.describe_images(**params)  # param validation stays on: errors become {"error"}
    p = AWS.captured
    return {"method": p.method, "url": p.url, "headers": _header_pairs(p.headers),
            "body": _s(p.body)}


_TC_CLIENTS = {}


def _tcr_client(region, endpoint):
    key = (region, endpoint)
    client = _TC_CLIENTS.get(key)
    if client is None:
        hp = TcHttpProfile()
        if endpoint:
            u = urlsplit(endpoint if "://" in endpoint else "https://" + endpoint)
            hp = TcHttpProfile(protocol=u.scheme, endpoint=u.netloc)
        client = tcr_client.TcrClient(tc_credential.Credential("AKID", "SECRET"), region,
                                      TcClientProfile(httpProfile=hp))
        _TC_CLIENTS[key] = client
    return client


def request_tcr(case):
    client = _tcr_client(case.get("region"), case.get("endpoint"))
    client.credential = tc_credential.Credential(case.get("access_key"), case.get("secret_key"),
                                                 case.get("token"))
    params = case.get("params") or {}
    req = tcr_models.DescribeImagesRequest()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        req.from_json_string(json.dumps(params))
    _set_http_response(200, {"Content-Type": "application/json"},
                       b'{"Response":{"TotalCount":0,"ImageInfoList":[],"RequestId":"oracle"}}')
    client.DescribeImages(req)
    p = HTTP.captured
    out = {"method": p.method, "url": p.url, "headers": _header_pairs(p.headers),
           "body": _s(p.body)}
    if caught:
        # e.g. "Foo fileds are useless.": the SDK drops unknown parameter names silently
        out["warnings"] = [str(w.message) for w in caught]
    return out


class _SilentJdLogger:
    def log(self, level, message):
        pass


_JD_SETTERS = {"filters": "setFilters", "pageNumber": "setPageNumber", "pageSize": "setPageSize"}


def _jd_parameters(case):
    params = dict(case.get("params") or {})
    region = params.pop("regionId", case.get("region"))
    p = JdDescribeImagesParameters(region)
    for key, value in params.items():
        setter = _JD_SETTERS.get(key)
        if setter is None or not hasattr(p, setter):
            raise AttributeError("DescribeImagesParameters has no parameter %r" % key)
        if key == "filters" and value is not None:
            value = [JdFilter(f["name"], f["values"], f.get("operator")) if isinstance(f, dict) else f
                     for f in value]
        getattr(p, setter)(value)
    return p


def request_jd(case):
    endpoint = case.get("endpoint")
    config = None
    if endpoint:
        u = urlsplit(endpoint if "://" in endpoint else "https://" + endpoint)
        config = JdConfig(endpoint=u.netloc, scheme=u.scheme)
    client = JdContainerregistryClient(JdCredential(case.get("access_key"), case.get("secret_key")),
                                       config, _SilentJdLogger())
    header = None
    if case.get("token"):
        # The only way this SDK takes a session token: the request header, which it base64-encodes.
        header = {jd_const.JDCLOUD_SECURITY_TOKEN: case["token"]}
    extra = _in_headers(case)
    if extra:
        # Request headers (DescribeImagesRequest's `header`), e.g. a lower-case x-jdcloud-date
        # and x-jdcloud-nonce, which the JDCLOUD3 signer then honours and signs.
        header = dict(header or {})
        for k, v in extra:
            header[k] = v
    req = JdDescribeImagesRequest(_jd_parameters(case), header)
    _set_http_response(200, {"Content-Type": "application/json"},
                       b'{"requestId":"oracle","result":{"images":[],"totalCount":0}}')
    captured_call = {}
    real_request = requests.request

    def spy_request(method, url, **kwargs):
        captured_call["url"] = url
        return real_request(method, url, **kwargs)

    import jdcloud_sdk.core.jdcloudclient as jd_client_mod
    jd_client_mod.requests.request = spy_request
    try:
        client.send(req)
    finally:
        jd_client_mod.requests.request = real_request
    p = HTTP.captured
    return {"method": p.method, "url": p.url, "headers": _header_pairs(p.headers),
            "body": _s(p.body),
            # the URL the SDK built and signed, before requests re-quoted it for the wire
            "sdk_url": captured_call.get("url")}


def do_request(case):
    provider = case.get("provider")
    if provider in _AWS_SERVICE:
        return request_aws(case)
    if provider == "tcr":
        return request_tcr(case)
    if provider == "jdcloud":
        return request_jd(case)
    raise ValueError("unknown provider %r" % (provider,))


# ============================================================================================
# kind: response
# ============================================================================================
def response_aws(case):
    """The full botocore client path: parser for the 'json' protocol, modeled error fields."""
    client = _boto_client(case["provider"], case.get("region") or "us-east-1", None, True)
    AWS.status = int(case.get("status", 200))
    AWS.headers = dict(_in_headers(case))
    AWS.body = (case.get("body") or "").encode("utf-8")
    try:
        parsed = client.describe_images(repositoryName="oracle")
    except ClientError as e:
        _drop_retry_artifact(e.response)
        err = e.response.get("Error", {})
        return {"service_error": {"code": err.get("Code"), "message": err.get("Message"),
                                  "request_id": e.response.get("ResponseMetadata", {}).get("RequestId"),
                                  "response": _jsonable(e.response)}}
    _drop_retry_artifact(parsed)
    return {"parsed": _jsonable(parsed)}


def _drop_retry_artifact(parsed):
    # total_max_attempts=1 (so a 5xx or throttling answer is parsed once, not retried with
    # back-off) makes the retry handler flag every answer MaxAttemptsReached: drop that flag.
    # RetryAttempts is always 0 here, where a default client would have retried a 5xx twice.
    meta = parsed.get("ResponseMetadata")
    if isinstance(meta, dict):
        meta.pop("MaxAttemptsReached", None)


def response_tcr(case):
    """TcrClient.DescribeImages over the given response: _check_status, _check_error, model."""
    client = _tcr_client("ap-guangzhou", None)
    _set_http_response(case.get("status", 200), dict(_in_headers(case)), case.get("body") or "")
    flag = {}
    orig_check_error = client._check_error

    def check_error(resp):
        try:
            return orig_check_error(resp)
        except TencentCloudSDKException:
            flag["service"] = True
            raise

    client._check_error = check_error
    # _check_error warns on Response.DeprecatedWarning (and resets the global warning filters
    # to "default" while doing so): record those warnings instead of printing them.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = client.DescribeImages(tcr_models.DescribeImagesRequest())
        except TencentCloudSDKException as exc:
            model = exc
        finally:
            del client._check_error
    if isinstance(model, TencentCloudSDKException):
        e = model
        if flag.get("service"):
            return {"service_error": {"code": e.get_code(), "message": e.get_message(),
                                      "request_id": e.get_request_id()}}
        return {"error": "TencentCloudSDKException: [%s] %s" % (e.get_code(), _s(e.get_message())),
                "sdk_exception": {"code": e.get_code(), "message": _s(e.get_message()),
                                  "request_id": e.get_request_id()}}
    out = {"parsed": json.loads(model.to_json_string())}
    if caught:
        out["warnings"] = [str(w.message) for w in caught]
    return out


_JD_RESPONSE_CLIENT = []


def response_jd(case):
    """JDCloudClient.__process_response (JDCloudResponse.fill_value) over the given response."""
    if not _JD_RESPONSE_CLIENT:
        _JD_RESPONSE_CLIENT.append(
            JdContainerregistryClient(JdCredential("AK", "SK"), None, _SilentJdLogger()))
    client = _JD_RESPONSE_CLIENT[0]
    resp = requests.Response()
    resp.status_code = int(case.get("status", 200))
    resp.headers = CaseInsensitiveDict(dict(_in_headers(case)))
    resp._content = (case.get("body") or "").encode("utf-8")
    jd = client._JDCloudClient__process_response(case.get("method", "GET"), resp)
    if jd.error is not None:
        return {"service_error": {"code": jd.error.code, "message": jd.error.message,
                                  "status": jd.error.status, "request_id": jd.request_id}}
    return {"parsed": {"request_id": jd.request_id, "result": _jsonable(jd.result)}}


def do_response(case):
    provider = case.get("provider")
    if provider in _AWS_SERVICE:
        return response_aws(case)
    if provider == "tcr":
        return response_tcr(case)
    if provider == "jdcloud":
        return response_jd(case)
    raise ValueError("unknown provider %r" % (provider,))


# ============================================================================================
# kind: paginate — botocore's own paginator over a scripted, stateless server
# ============================================================================================
def do_paginate(case):
    """client.get_paginator('describe_images').paginate(**params), every page read.

    The server is a map from the request's nextToken ("" for none) to a response
    ({status, headers, body}), as a stateless server answers. Out: ``requests`` (the JSON body
    of every request sent), ``pages`` (each parsed page, ResponseMetadata dropped) and
    ``outcome``: {"type": "ok"} when the paginator ended the listing itself,
    {"type": "client_error", code, message, request_id} (a page was an error response),
    {"type": "pagination_error", message} (botocore's PaginationError, e.g. a token received
    twice in a row) or {"type": "script", message} (the paginator asked for a token the script
    has no page for, or made more than ``max_requests`` requests, default 50: it would have
    gone on).
    """
    from botocore.exceptions import PaginationError
    provider = case.get("provider")
    if provider not in _AWS_SERVICE:
        raise ValueError("paginate: unknown provider %r (ecr or ecr_public)" % (provider,))
    client = _boto_client(provider, case.get("region") or "us-east-1", None, True)
    script = {}
    for token, page in case.get("pages") or []:
        script["" if token is None else token] = page
    AWS.script, AWS.sent = script, []
    AWS.max_requests = int(case.get("max_requests", 50))
    pages = []
    try:
        try:
            for page in client.get_paginator("describe_images").paginate(**(case.get("params") or {})):
                _drop_retry_artifact(page)
                page.pop("ResponseMetadata", None)
                pages.append(_jsonable(page))
            outcome = {"type": "ok"}
        except ClientError as e:
            err = e.response.get("Error", {})
            outcome = {"type": "client_error", "code": err.get("Code"), "message": err.get("Message"),
                       "request_id": e.response.get("ResponseMetadata", {}).get("RequestId")}
        except PaginationError as e:
            outcome = {"type": "pagination_error", "message": str(e)}
        except ScriptError as e:
            outcome = {"type": "script", "message": str(e)}
    finally:
        sent = AWS.sent
        AWS.script, AWS.sent = None, []
    return {"requests": sent, "pages": pages, "outcome": outcome}


# ============================================================================================
# kind: verify — recompute with the SDK's signer from the request's own date/nonce headers.
# The header set signed is the one the request's Authorization names (what a server can
# check); where the SDK would always sign more, the expected value differs and valid=false.
# ============================================================================================
def verify_sigv4(case, pairs, claimed):
    amz_date = _hget(pairs, "X-Amz-Date")
    if not amz_date:
        raise ValueError("no X-Amz-Date header")
    CLOCK.t = _epoch_from_compact(amz_date)
    cred = (claimed["credential"] or "").split("/")
    signed = set(claimed["signed_headers"] or [])
    keep = [(k, v) for k, v in pairs
            if k.lower() in signed and k.lower() not in ("x-amz-date", "x-amz-security-token")]
    sub = dict(case)
    sub["headers"] = keep
    sub["access_key"] = case.get("access_key") or cred[0]
    sub["service"] = case.get("service") or (cred[3] if len(cred) > 3 else None)
    sub["region"] = case.get("region") or (cred[2] if len(cred) > 2 else None)
    sub["token"] = _hget(pairs, "X-Amz-Security-Token")
    out = sign_sigv4(sub)
    out["expected"] = _hget(out["headers"], "Authorization")
    return out


def verify_tc3(case, pairs, claimed):
    ts = _hget(pairs, "X-TC-Timestamp")
    if ts is None:
        raise ValueError("no X-TC-Timestamp header")
    cred = (claimed["credential"] or "").split("/")
    ak = case.get("access_key") or cred[0]
    service = case.get("service") or (cred[2] if len(cred) > 2 else "tcr")
    u = urlsplit(case["url"])
    method = case.get("method", "POST").upper()
    hdr = CaseInsensitiveDict(pairs)
    if "Host" not in hdr:
        hdr["Host"] = u.netloc
    data = u.query if method == "GET" else (case.get("body") or "")
    req = TcRequestInternal(u.netloc, method, u.path or "/", header=hdr, data=data)
    client = TcCommonClient(service, _hget(pairs, "X-TC-Version") or "2019-09-24",
                            tc_credential.Credential(ak, case["secret_key"]), case.get("region") or "",
                            TcClientProfile())
    date = _dt.datetime.fromtimestamp(int(ts), _dt.timezone.utc).strftime("%Y-%m-%d")
    rec = _Sha256Recorder()
    seen = {}
    orig = TcSign.sign_tc3

    def sign_rec(secret_key, d, s, str2sign):
        seen["string_to_sign"] = str2sign
        return orig(secret_key, d, s, str2sign)

    saved = tc_abstract.hashlib
    tc_abstract.hashlib = rec
    TcSign.sign_tc3 = staticmethod(sign_rec)
    try:
        signature = client._get_tc3_signature({}, req, date, service, case["secret_key"])
    finally:
        tc_abstract.hashlib = saved
        TcSign.sign_tc3 = staticmethod(orig)
    # The same format string as AbstractClient._build_req_with_tc3_signature.
    expected = ("TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, SignedHeaders=content-type;host, "
                "Signature=%s" % (ak, date, service, signature))
    return {"expected": expected, "string_to_sign": seen.get("string_to_sign"),
            "canonical_request": _s(rec.inputs[1]) if len(rec.inputs) >= 2 else None}


def verify_jd(case, pairs, claimed, version):
    date = _hget(pairs, jd_const.JDCLOUD_DATE)
    nonce = _hget(pairs, jd_const.JDCLOUD_NONCE)
    if date:
        CLOCK.t = _epoch_from_compact(date)
    if nonce:
        CLOCK.nonce = nonce
    cred = (claimed["credential"] or "").split("/")
    signed = set(claimed["signed_headers"] or [])
    keep = []
    for k, v in pairs:
        lk = k.lower()
        if lk in signed and lk != "host":
            if version == 2 and lk in (jd_const.JDCLOUD_DATE, jd_const.JDCLOUD_NONCE):
                continue  # JDCLOUD2 always sets these itself (from the clock/uuid stand-ins)
            keep.append((lk, v))
    sub = dict(case)
    sub["headers"] = keep
    sub["token"] = None
    sub["access_key"] = case.get("access_key") or cred[0]
    sub["region"] = case.get("region") or (cred[2] if len(cred) > 2 else None)
    sub["service"] = case.get("service") or (cred[3] if len(cred) > 3 else None)
    out = _jd_sign(sub, version)
    out["expected"] = _hget(out["headers"], "Authorization")
    return out


def do_verify(case):
    pairs = _in_headers(case)
    given = _hget(pairs, "Authorization")
    claimed = _parse_auth(given)
    scheme = case.get("scheme")
    if scheme == "sigv4":
        r = verify_sigv4(case, pairs, claimed)
    elif scheme == "tc3":
        r = verify_tc3(case, pairs, claimed)
    elif scheme in ("jdcloud3", "jdcloud2"):
        r = verify_jd(case, pairs, claimed, 3 if scheme == "jdcloud3" else 2)
    else:
        raise ValueError("unknown scheme %r" % (scheme,))
    expected = r["expected"]
    exp_sig = _parse_auth(expected)["signature"]
    return {"valid": bool(given) and given == expected,
            "signature_matches": bool(given) and claimed["signature"] == exp_sig,
            "expected": expected,
            "canonical_request": r.get("canonical_request"),
            "string_to_sign": r.get("string_to_sign")}


# ============================================================================================
# kind: info
# ============================================================================================
def do_info(case):
    import jdcloud_sdk.core.version as jd_core_version
    out = {"botocore": botocore.__version__, "tencentcloud": tencentcloud.__version__,
           "tencentcloud_request_client": tc_abstract.AbstractClient._sdkVersion,
           "jdcloud_sdk": _dist_version(Path(jd_signer3.__file__).parents[2], "jdcloud_sdk"),
           "jdcloud_sdk_core": jd_core_version.VERSION,
           "jdcloud2_sdk_expected": JDCLOUD2_SDK_VERSION, "requests": requests.__version__,
           "python": sys.version.split()[0]}
    try:
        _jd2_signer_module()
        out["jdcloud2_sdk"] = _JD2["version"]
    except Exception as e:  # noqa: BLE001
        out["jdcloud2_sdk"] = None
        out["jdcloud2_error"] = str(e)
    return out


HANDLERS = {"sign": do_sign, "request": do_request, "response": do_response,
            "paginate": do_paginate, "verify": do_verify, "info": do_info}


def handle(line):
    try:
        case = json.loads(line)
    except ValueError as e:
        return {"error": "bad JSON line: %s" % e}
    if not isinstance(case, dict):
        return {"error": "a case must be a JSON object"}
    try:
        _set_clock(case)
        OUTPUT.exact_times = bool(case.get("exact_times"))
        OUTPUT.exact_floats = bool(case.get("exact_floats"))
        fn = HANDLERS.get(case.get("kind"))
        if fn is None:
            out = {"error": "unknown kind %r" % (case.get("kind"),)}
        else:
            out = fn(case)
    except Exception as e:  # noqa: BLE001 — every failure is an answer, never a crash
        out = {"error": "%s: %s" % (type(e).__name__, e)}
        if os.environ.get("CRSPEC_ORACLE_TRACE"):
            out["traceback"] = traceback.format_exc()
    finally:
        _set_clock({})
        OUTPUT.exact_times = OUTPUT.exact_floats = False
    if "id" in case:
        out["id"] = case["id"]
    return out


def _dump(obj):
    try:
        return json.dumps(obj, ensure_ascii=True, allow_nan=False)
    except Exception as e:  # noqa: BLE001
        return json.dumps({"error": "unserializable answer: %s" % e})


def main():
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", "replace").strip()
        if not line:
            continue
        _OUT.write(_dump(handle(line)) + "\n")
        _OUT.flush()
    _OUT.flush()


if __name__ == "__main__":
    main()
