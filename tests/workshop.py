"""A whole Værktøj 2 workshop on the facilitator screen, driven as a facilitator drives it.

The example kit `examples/vasketoilet-hjemmepleje` (12:30, 165 minutes, three groups):
the facilitator's window and the projector's, Start a minute late, a group that needs five
minutes more (asked for with the clicker in the projector's window), the break skipped to
catch up, a pause, the browser reloaded, five minutes taken off, the post-its read out and
typed in under their questions with the group's number, decisions, the parking lot, the
mødeleder's own note, two photos of the flipover (one a phone's, turned by its EXIF and
carrying GPS), the agreements and the next meeting; then Ctrl+S. Used by the referat's
tests and by `scripts/make-example-referat`, which keeps the notes file and its referat
in `examples/`.
"""

from __future__ import annotations

import time as clock
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .browser import ZONE, Page

REPO = Path(__file__).parent.parent
BEGIN = datetime(2027, 1, 19, 12, 30, tzinfo=ZoneInfo(ZONE))
MIN = 60_000


def at(minutes: float) -> int:
    return int(BEGIN.timestamp() * 1000 + minutes * MIN)


POINTS = {
    # In the plenum after each group work, the post-its are read out, question by question.
    "opsamling-1": [
        ["1: Personlig pleje og hygiejne", "2: At borgeren klarer mest muligt selv",
         "3: Tryghed og værdighed i eget hjem", "1: Observation af hud og almen tilstand"],
        ["2: Nedre hygiejne: borgeren kan klare den selv",
         "3: Færre besøg giver mindre tid til at observere"],
        ["1: Nemmere for ryggen – færre tunge løft",
         "2: Ændrer karakter: fra at gøre for borgeren til at støtte borgeren i selv at gøre",
         "3: Sværere hos borgere med demens, der ikke kan lære toilettet at kende"],
    ],
    "opsamling-2": [
        ["1: Vurdering af huden og tegn på tryksår", "2: Kendskab til borgerens vaner og historie"],
        ["3: Teknologien kan tage tid fra samtalen under plejen", "2: Understøtter rehabilitering"],
        ["1: Risiko for, at observationen forsvinder, når vi ikke er der hver dag"],
    ],
}  # fmt: skip
OWN_QUESTIONS = {
    "opsamling-2": [["Hudobservationen skal stadig ske ved de faste besøg"],
                    ["Terapeuterne med, når det afklares, hvem der får gavn af toilettet"]],
    "faelles-refleksion": [["Borgere, der kan og vil klare sig selv, får mere privatliv"],
                           ["Hvis vi kun måler på færre besøg"],
                           ["Følge op på hudobservationen og på borgernes egen oplevelse"]],
}  # fmt: skip
AGREEMENTS = [
    ("Udpege fire borgere til afprøvningen", "Teamleder og sygeplejerske", "inden 1. februar"),
    ("Lave en tjekliste til hudobservation", "Sygeplejerskerne (gruppe 1)", "næste personalemøde"),
    ("Spørge Hjælpemidler om installation og rengøring", "Projektleder", "uge 6"),
]


def flipover(path: Path, title: str, notes: list[str], *, turned: bool) -> None:
    """A photo of a flipover with post-its, as a phone saves it: `turned` stores the pixels
    sideways with EXIF orientation 6 (and GPS), which the screen must undo and drop."""
    from PIL import Image, ImageDraw, ImageFont

    font_file = REPO / "src/fremfaerd_kit/fonts/DejaVuSansCondensed.ttf"
    big, small = ImageFont.truetype(str(font_file), 30), ImageFont.truetype(str(font_file), 19)
    image = Image.new("RGB", (640, 800), (244, 241, 232))
    draw = ImageDraw.Draw(image)
    draw.text((30, 24), title, fill=(30, 30, 30), font=big)
    colours = [(255, 236, 120), (160, 220, 250), (255, 180, 200), (180, 235, 170)]
    for i, text in enumerate(notes):
        x, y = 30 + (i % 2) * 300, 90 + (i // 2) * 170
        draw.rectangle((x, y, x + 270, y + 150), fill=colours[i % len(colours)])
        words, line, lines = text.split(), "", []
        for word in words:
            if draw.textlength(line + " " + word, font=small) > 250:
                lines.append(line)
                line = word
            else:
                line = (line + " " + word).strip()
        lines.append(line)
        for k, row in enumerate(lines[:5]):
            draw.text((x + 10, y + 10 + k * 26), row, fill=(20, 20, 20), font=small)
    exif = Image.Exif()
    if turned:
        image = image.rotate(90, expand=True)  # the sensor's way: upright after orientation 6
        exif[0x0112] = 6
        exif[0x0110] = "Telefon"
        exif[0x8825] = {1: "N", 2: (55.0, 40.0, 12.0), 3: "E", 4: (12.0, 34.0, 5.0)}
    image.save(path, "JPEG", quality=80, exif=exif.tobytes())


def typed(page: Page, text: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(page.driver).send_keys(text).perform()


def run_workshop(page: Page, screen: Path, downloads: Path, photos: Path) -> Path:
    """The whole workshop on `screen`; returns the notes file saved into `downloads`."""
    driver = page.driver
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    page.open(screen, at(-5))
    desk = driver.current_window_handle
    wall = page.open_window(screen.as_uri() + "#projektor", at(-5))

    def now(minutes: float) -> None:
        for window in (wall, desk):
            driver.switch_to.window(window)
            page.set_now(at(minutes))

    def note(line: str, down: int = 0) -> None:
        """A line typed under the `down`-th place the capture offers (N, ↓, the text)."""
        driver.execute_script("document.getElementById('note-target').selectedIndex = 0")
        page.press("n")
        for _ in range(down):
            page.press("ArrowDown")
        typed(page, line + "\n")
        page.press("Escape")

    def post_its(block: str, questions: list[list[str]], first: int = 0) -> None:
        for i, lines in enumerate(questions):
            for line in lines:
                note(line, first + i)

    now(1)
    page.press(" ")  # Start, a minute late
    note("Vandforbruget: hvem betaler?", down=2)  # the welcome: straight to the parking lot
    now(17)
    page.press("ArrowRight")  # the first group work
    now(48)
    driver.switch_to.window(wall)
    page.press("+")  # a group needs five minutes more: asked for with the clicker
    now(55)
    page.press("PageDown")  # the clicker: the group work's pages, then on
    while page.text("block-title") != "Opsamling i plenum":
        page.press("PageDown")
    driver.switch_to.window(desk)
    post_its("opsamling-1", POINTS["opsamling-1"])
    picture = photos / "flipover-1.jpg"
    flipover(
        picture,
        "Kerneopgaver",
        [p.split(": ", 1)[1] for p in POINTS["opsamling-1"][0]],
        turned=True,
    )
    driver.find_element("id", "photo-file").send_keys(str(picture))
    _wait(page, "return document.querySelectorAll('#photo-list img').length === 1")
    caption = driver.find_element("css selector", "#photo-list input")
    caption.send_keys("Gruppernes post-its om kerneopgaver\n")
    page.press("Escape")
    now(66)
    page.press("ArrowRight")  # the break, ...
    now(66.3)
    page.press("ArrowRight")  # ... skipped to catch up
    now(90)
    page.press(" ")  # a pause: the fire alarm is tested
    now(96)
    page.press(" ")
    now(100)
    driver.refresh()  # the browser is reloaded: nothing is lost
    now(103)
    page.press("ArrowRight")  # the second plenum summary
    post_its("opsamling-2", POINTS["opsamling-2"])
    post_its("opsamling-2", OWN_QUESTIONS["opsamling-2"], first=3)
    picture = photos / "flipover-2.jpg"
    flipover(
        picture,
        "Kernefaglighed",
        [p.split(": ", 1)[1] for p in POINTS["opsamling-2"][0]],
        turned=False,
    )
    driver.find_element("id", "photo-file").send_keys(str(picture))
    _wait(page, "return document.querySelectorAll('#photo-list img').length === 1")
    note("Gruppe 3 nåede ikke spørgsmål 3: tag det op på næste personalemøde", down=7)
    now(116)
    page.press("ArrowRight")  # the common reflection
    page.press("-")  # five minutes less: the closing block needs them
    post_its("faelles-refleksion", OWN_QUESTIONS["faelles-refleksion"])
    note("Vi afprøver vasketoilettet hos fire borgere i tre måneder", down=3)
    note("Rengøring af toilettet: hvem gør det?", down=4)
    now(136)
    page.press("ArrowRight")  # the next steps and the close
    driver.find_element("id", "agreement-what").click()
    for what, who, when in AGREEMENTS:
        typed(page, f"{what}\t{who}\t{when}\n")
    driver.execute_script(
        "for (const [id, v] of arguments[0]) { const e = document.getElementById(id);"
        " e.value = v; e.dispatchEvent(new Event('change')); }",
        [["follow-date", "2027-02-16"], ["follow-start", "13:00"], ["follow-minutes", "60"],
         ["follow-place", "Mødelokalet, Hjemmeplejen Nord"]],
    )  # fmt: skip
    page.press("Escape")
    note("Vi mødes igen, når de fire borgere har haft toilettet i en måned", down=1)
    now(167)
    driver.switch_to.window(wall)
    page.press("ArrowRight")  # the meeting is over
    driver.switch_to.window(desk)
    now(168)
    _ctrl_s(page)
    saved = _downloaded(downloads)
    driver.switch_to.window(wall)
    driver.close()
    driver.switch_to.window(desk)
    return saved


def _wait(page: Page, script: str) -> None:
    for _ in range(100):
        if page.driver.execute_script(script):
            return
        clock.sleep(0.05)
    raise AssertionError(f"never true: {script}")


def _ctrl_s(page: Page) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(page.driver).key_down("\ue009").send_keys("s").key_up("\ue009").perform()


def _downloaded(folder: Path) -> Path:
    for _ in range(100):
        found = [p for p in folder.glob("*.json")]
        if found and not list(folder.glob("*.crdownload")):
            return found[0]
        clock.sleep(0.1)
    raise AssertionError(f"no notes file in {folder}")
