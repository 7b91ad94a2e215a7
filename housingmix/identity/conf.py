"""spid-cie-oidc's settings, derived from the portal's own (no Django import here:
``housingmix/settings.py`` calls this, and so do the tests that start a federation)."""

SPID_L2 = "https://www.spid.gov.it/SpidL2"
TEST_KID_PREFIX = "housingmix-testfed-"


def federation_settings(
    *,
    test_federation: bool,
    testfed_spid_url: str,
    testfed_cie_url: str,
    spid_trust_anchor: str,
    cie_trust_anchor: str,
    spid_providers: list[dict],
    cie_provider: dict | None,
    http_timeout: int,
) -> dict:
    """The library's OIDCFED_* and HTTPC_* settings and the portal's provider lists.

    With the test federation on, the providers and the trust anchor are the local ones
    (see housingmix/identity/testfed); otherwise they are the configured real ones.
    """
    import aiohttp

    if test_federation:
        ta = testfed_spid_url.rstrip("/") + "/"
        spid_providers = [{"id": testfed_spid_url.rstrip("/") + "/oidc/op/", "name": "SPID di prova (locale)"}]
        cie_provider = {"id": testfed_cie_url.rstrip("/") + "/oidc/op/", "name": "CIE di prova (locale)"}
        spid_ta = cie_ta = ta
    else:
        spid_ta, cie_ta = spid_trust_anchor, cie_trust_anchor
    anchors = [a for a in dict.fromkeys([spid_ta, cie_ta]) if a]
    identity_providers = {
        "spid": {p["id"]: spid_ta for p in spid_providers},
        "cie": {cie_provider["id"]: cie_ta} if cie_provider else {},
    }
    return {
        "SPID_CIE_SPID_PROVIDERS_RESOLVED": spid_providers,
        "SPID_CIE_CIE_PROVIDER_RESOLVED": cie_provider,
        "OIDCFED_TRUST_ANCHORS": anchors,
        "OIDCFED_DEFAULT_TRUST_ANCHOR": anchors[0] if anchors else "",
        "OIDCFED_IDENTITY_PROVIDERS": identity_providers,
        # SPID level 2 (AgID: the RP asks for the level it needs; the portal needs 2).
        "OIDCFED_ACR_PROFILES": SPID_L2,
        "OIDCFED_REQUIRED_TRUST_MARKS": [],
        "HTTPC_TIMEOUT": http_timeout,
        "HTTPC_PARAMS": {
            # Real federations are HTTPS only; the local one is plain HTTP on loopback.
            "connection": {"ssl": not test_federation},
            "session": {"timeout": aiohttp.ClientTimeout(total=http_timeout)},
        },
    }
