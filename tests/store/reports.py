"""Short reports written for the store tests: two outlets on one ambush, an unrelated shooting, their day."""

DAWN = (
    "QUETTA: At least four soldiers were martyred when militants ambushed a Frontier Corps convoy in "
    "Hoshab area of Kech district on Tuesday, the ISPR said. The Baloch Liberation Front claimed "
    "responsibility and said nine soldiers were killed."
)
REUTERS = (
    "QUETTA, Pakistan (Reuters) - Separatist militants ambushed a military convoy near Hoshab in Kech "
    "district of Pakistan's Balochistan province on Tuesday, killing five soldiers, a security official said."
)
OTHER = "QUETTA: Gunmen shot dead two shopkeepers in Quetta on Tuesday, police said."
DAY = "2025-03-12"
