"""A throwaway local certificate authority that signs requests the way Alexa does.

Shared by the web tests and the benchmark: it builds a root CA, an intermediate and an
`echo-api.amazon.com` signing certificate with pyca/cryptography (no network, no files),
and signs raw request bodies with RSA PKCS#1 v1.5 over SHA-256. Certificates follow the
Web PKI profile that `cryptography.x509.verification` enforces (key usages, key
identifiers, serverAuth on the leaf), so a chain from here verifies like a real one.

Never use this to sign anything outside tests and benchmarks.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_SIGNING_NAME = "echo-api.amazon.com"
DEFAULT_CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
_KEY_SIZE = 2048


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=_KEY_SIZE)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Steady Together Test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _leaf_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _builder(
    *,
    subject: x509.Name,
    issuer: x509.Name,
    public_key: rsa.RSAPublicKey,
    issuer_public_key: rsa.RSAPublicKey,
    not_before: datetime,
    not_after: datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public_key),
            critical=False,
        )
    )


@dataclass(frozen=True)
class SigningChain:
    """A leaf certificate with its key, the PEM chain Alexa would publish, and its root."""

    root: x509.Certificate
    leaf: x509.Certificate
    leaf_key: rsa.RSAPrivateKey
    chain_pem: bytes
    cert_url: str = DEFAULT_CERT_URL

    def sign(self, body: bytes) -> str:
        """The base64 `Signature-256` header value for a raw body."""
        signature = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def headers(self, body: bytes, cert_url: str | None = None) -> dict[str, str]:
        """The two verification headers for a raw body."""
        return {
            "SignatureCertChainUrl": cert_url or self.cert_url,
            "Signature-256": self.sign(body),
            "Content-Type": "application/json",
        }


@dataclass
class LocalCA:
    """A root CA and one intermediate, able to issue Alexa-style signing certificates.

    Key generation dominates the cost (tens of milliseconds per key), so one CA reuses
    one leaf key for every leaf it issues unless told otherwise.
    """

    label: str = "Local"
    root_key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    intermediate_key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    leaf_key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    root: x509.Certificate = field(init=False)
    intermediate: x509.Certificate = field(init=False)

    def __post_init__(self) -> None:
        now = datetime.now(UTC)
        root_name = _name(f"{self.label} Test Root CA {secrets.token_hex(4)}")
        root_public = self.root_key.public_key()
        self.root = (
            _builder(
                subject=root_name,
                issuer=root_name,
                public_key=root_public,
                issuer_public_key=root_public,
                not_before=now - timedelta(days=365),
                not_after=now + timedelta(days=3650),
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .sign(self.root_key, hashes.SHA256())
        )
        intermediate_public = self.intermediate_key.public_key()
        self.intermediate = (
            _builder(
                subject=_name(f"{self.label} Test Intermediate CA"),
                issuer=root_name,
                public_key=intermediate_public,
                issuer_public_key=root_public,
                not_before=now - timedelta(days=365),
                not_after=now + timedelta(days=1825),
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .sign(self.root_key, hashes.SHA256())
        )

    def issue(
        self,
        *,
        dns_name: str = ALEXA_SIGNING_NAME,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        cert_url: str = DEFAULT_CERT_URL,
    ) -> SigningChain:
        """Issue a signing certificate (default: valid from a day ago for a year)."""
        now = datetime.now(UTC)
        leaf_public = self.leaf_key.public_key()
        leaf = (
            _builder(
                subject=_name(dns_name),
                issuer=self.intermediate.subject,
                public_key=leaf_public,
                issuer_public_key=self.intermediate_key.public_key(),
                not_before=not_before or now - timedelta(days=1),
                not_after=not_after or now + timedelta(days=365),
            )
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_leaf_key_usage(), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
            .sign(self.intermediate_key, hashes.SHA256())
        )
        chain_pem = b"".join(
            cert.public_bytes(serialization.Encoding.PEM) for cert in (leaf, self.intermediate)
        )
        return SigningChain(
            root=self.root,
            leaf=leaf,
            leaf_key=self.leaf_key,
            chain_pem=chain_pem,
            cert_url=cert_url,
        )


def make_signing_chain(label: str = "Local") -> SigningChain:
    """A fresh CA and a valid `echo-api.amazon.com` signing chain, in one call."""
    return LocalCA(label=label).issue()
