"""With production's rules, endpoints that would reach inside our network are refused when
saved (form and API) and again at delivery, whatever the name resolved to when it was saved.
Names resolve through the resolver hook (the ``names`` fixture)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from webhooks import outbound, services
from webhooks.models import Delivery, Endpoint
from workspaces.models import Workspace, personal_workspace_id

pytestmark = pytest.mark.django_db

REFUSED = [
    ("http://127.0.0.1/hooks", "must use https"),
    ("https://127.0.0.1/hooks", "loopback"),
    ("https://10.1.2.3/hooks", "private network"),
    ("https://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("https://hooks.example.test/in", "private network"),  # the hook resolves it to 10.0.0.5
    ("https://[::ffff:10.0.0.1]/hooks", "private network"),
    ("https://[64:ff9b::a9fe:a9fe]/", "cloud metadata"),  # NAT64 of 169.254.169.254
    ("https://[2002:a00:1::]/hooks", "private network"),  # 6to4 of 10.0.0.1
    ("https://[::1]/hooks", "loopback"),
    ("https://100.64.0.9/hooks", "private network"),
    ("https://[fd00:ec2::254]/", "cloud metadata"),
    ("https://nowhere.example.test/", "could not be resolved"),
    ("https://user:pw@public.example.test/", "credentials"),
    ("ftp://public.example.test/", "http or https"),
]


@pytest.fixture
def resolving(names, production):
    names["hooks.example.test"] = ["93.184.216.34", "10.0.0.5"]  # one bad address is enough
    names["public.example.test"] = ["93.184.216.34"]
    return names


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_production_refuses_urls_reaching_inside_the_network(resolving, url, reason):
    with pytest.raises((outbound.Refused, outbound.Unreachable), match=reason):
        outbound.url_check(url)


def test_a_public_https_name_is_pinned_to_the_address_that_was_checked(resolving):
    target = outbound.url_check("https://public.example.test:8443/in?x=1")
    assert (target.address, target.host, target.host_header, target.path) == (
        "93.184.216.34",
        "public.example.test",
        "public.example.test:8443",
        "/in?x=1",
    )


def test_development_allows_local_receivers_but_never_a_metadata_service(settings):
    assert outbound.url_check("http://127.0.0.1:8000/hooks").address == "127.0.0.1"
    with pytest.raises(outbound.Refused, match="cloud metadata"):
        outbound.url_check("http://169.254.169.254/")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://hooks.example.test/in",
    ],
)
def test_the_page_and_the_api_refuse_to_save_them(resolving, user, client, api_client, url):
    client.force_login(user)
    workspace_id = personal_workspace_id(user.pk)
    page = client.post(reverse("webhooks:list", args=[workspace_id]), {"url": url})
    assert page.status_code == 400
    assert "webhooks only go to public addresses" in page.content.decode() or "must use https" in (
        page.content.decode()
    )

    api_client.force_login(user)
    answer = api_client.post("/api/v1/webhooks/endpoints/", {"url": url}, format="json")
    assert answer.status_code == 400
    assert "url" in str(answer.json())
    assert not Endpoint.objects.exists()


def test_a_name_that_points_inside_after_it_was_saved_is_refused_at_delivery(
    resolving, user, django_capture_on_commit_callbacks
):
    workspace = Workspace.objects.get(pk=personal_workspace_id(user.pk))
    endpoint = services.endpoint_create(
        workspace=workspace, url="https://public.example.test/in", created_by=user
    )
    resolving["public.example.test"] = ["10.0.0.5"]  # DNS changed its answer

    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_emit(workspace_id=workspace.pk, type="job.failed", data={})

    delivery = Delivery.objects.get(event=event, endpoint=endpoint)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "private network" in delivery.last_error


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/hooks", "https://10.1.2.3/hooks", "https://169.254.169.254/latest/meta-data/"]
)
def test_an_endpoint_saved_before_the_rules_changed_is_refused_at_delivery(
    settings, user, django_capture_on_commit_callbacks, url
):
    workspace = Workspace.objects.get(pk=personal_workspace_id(user.pk))
    endpoint = Endpoint.objects.create(workspace=workspace, url=url, created_by=user)  # as if older rules
    settings.WEBHOOKS_ALLOW_PRIVATE, settings.WEBHOOKS_REQUIRE_HTTPS = False, True

    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_emit(workspace_id=workspace.pk, type="job.failed", data={})

    delivery = Delivery.objects.get(event=event, endpoint=endpoint)
    assert delivery.status == "failed"
    assert delivery.last_status_code is None


def _self_signed(tmp_path, name: str) -> tuple[str, str]:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_file), str(key_file)


def test_https_connects_to_the_checked_address_naming_the_urls_host_and_checks_its_certificate(
    names, tmp_path
):
    """The name resolves (through the hook) to 127.0.0.1 only, and the network guard lets
    nothing else through: the TLS handshake reaching the receiver with the URL's name as SNI
    shows the request went to the pinned address under the URL's name; a self-signed
    certificate is refused, so nothing is sent."""
    import ssl

    from tests.fakes.receiver import FakeReceiver

    names["hooks.example.test"] = ["127.0.0.1"]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path, "hooks.example.test"))
    server_names: list[str | None] = []
    context.sni_callback = lambda _socket, name, _context: server_names.append(name)

    with FakeReceiver.running_with(tls=context) as receiver:
        port = receiver.base_url.rsplit(":", 1)[1]
        with pytest.raises(outbound.Unreachable, match="certificate"):
            outbound.post(f"https://hooks.example.test:{port}/hooks", body=b"{}", headers={})

    assert server_names == ["hooks.example.test"]
    assert receiver.calls == []


def test_a_receiver_that_refuses_or_stalls_is_worth_another_attempt_and_says_which(names):
    import socket
    import threading

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    with pytest.raises(outbound.Unreachable, match="couldn't be reached"):
        outbound.post(f"http://127.0.0.1:{port}/hooks", body=b"{}", headers={})

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def accept_and_say_nothing() -> None:
        silent.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(silent.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    try:
        with pytest.raises(outbound.Unreachable, match="didn't answer in time"):
            outbound.post(f"http://127.0.0.1:{silent.getsockname()[1]}/hooks", body=b"{}", headers={})
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        silent.close()
