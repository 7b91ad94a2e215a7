"""Demo identities of the test federation (fictitious people, valid codici fiscali).

``make run`` prints them; the browser tests log in with them. Used only by the test
federation and its fixtures.
"""

DEMO_PASSWORD = "HousingMix-demo-2026"

DEMO_IDENTITIES = [
    {
        "provider": "spid",
        "username": "mario.rossi",
        "given_name": "Mario",
        "family_name": "Rossi",
        "fiscal_number": "RSSMRA80A01E648Q",
        "email": "mario.rossi@spid.housingmix.localhost",
        "birthdate": "1980-01-01",
    },
    {
        "provider": "spid",
        "username": "luca.bianchi",
        "given_name": "Luca",
        "family_name": "Bianchi",
        "fiscal_number": "BNCLCU75C03C816V",
        "email": "luca.bianchi@spid.housingmix.localhost",
        "birthdate": "1975-03-03",
    },
    {
        "provider": "cie",
        "username": "anna.verdi",
        "given_name": "Anna",
        "family_name": "Verdi",
        "fiscal_number": "VRDNNA85E52F205D",
        "email": "anna.verdi@cie.housingmix.localhost",
        "birthdate": "1985-05-12",
    },
    {
        # The same person as the SPID demo: SPID and CIE lead to one account.
        "provider": "cie",
        "username": "mario.rossi",
        "given_name": "Mario",
        "family_name": "Rossi",
        "fiscal_number": "RSSMRA80A01E648Q",
        "email": "mario.rossi@spid.housingmix.localhost",
        "birthdate": "1980-01-01",
    },
]
