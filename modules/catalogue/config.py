"""Settings of the catalogue module: the ``[modules.catalogue]`` section of plugins.toml."""

from __future__ import annotations

from pydantic import ConfigDict, Field, field_validator

from core import PagingSettings

# Active ISO 4217 codes (funds and precious metals left out): a typo such as "EUER" or "USS"
# fails at start instead of being printed next to every price.
_CODES = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY "
    "KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP "
    "MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR "
    "RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT "
    "TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER "
    "ZAR ZMW ZWG "
)
ISO_4217 = frozenset(_CODES.split())


class CatalogueSettings(PagingSettings):
    """Overridable with ``MOSAIC_MODULES__CATALOGUE__<KEY>``; the page sizes of the product
    listing (``max_page_size``, ``default_page_size``) come from :class:`core.PagingSettings`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = Field(
        default="EUR", description="ISO 4217 code of every price in the catalogue."
    )
    import_batch_size: int = Field(
        default=500, ge=1, le=10_000, description="CSV rows upserted per database round trip."
    )
    import_max_bytes: int = Field(
        default=50 * 1024 * 1024,
        ge=1024,
        description="Largest CSV file the import endpoint accepts, in bytes.",
    )

    @field_validator("currency", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in ISO_4217:
            raise ValueError(f"'{value}' is not an ISO 4217 currency code")
        return value
