"""The parsed form of a plan document, and building it from a stream of lines."""

from dataclasses import dataclass, field

from .targets import Target, suggest_target


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Item:
    depth: int
    text: str


@dataclass
class Prose:
    text: str


@dataclass
class ParsedGoal:
    text: str
    target: Target | None = None
    children: list["ParsedGoal"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def as_dict(self):
        return {
            "text": self.text,
            "target": self.target.as_dict() if self.target else None,
            "children": [child.as_dict() for child in self.children],
        }


@dataclass
class ParsedSection:
    title: str
    level: int
    description: list[str] = field(default_factory=list)
    goals: list[ParsedGoal] = field(default_factory=list)
    children: list["ParsedSection"] = field(default_factory=list)
    department: str = ""  # slug, matched from the heading or mapped by hand
    unit: str = ""
    partners: list[str] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_goals(self):
        for goal in self.goals:
            yield from goal.walk()

    def as_dict(self):
        return {
            "title": self.title,
            "level": self.level,
            "description": self.description,
            "goals": [goal.as_dict() for goal in self.goals],
            "children": [child.as_dict() for child in self.children],
            "department": self.department,
            "unit": self.unit,
            "partners": self.partners,
        }


@dataclass
class ParsedPlan:
    title: str = ""
    intro: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)

    def walk_sections(self):
        for section in self.sections:
            yield from section.walk()

    def all_goals(self):
        for section in self.walk_sections():
            for goal in section.goals:
                yield from goal.walk()

    @property
    def goal_count(self):
        return sum(1 for _ in self.all_goals())

    def as_dict(self):
        return {"title": self.title, "intro": self.intro, "sections": [s.as_dict() for s in self.sections]}

    @classmethod
    def from_dict(cls, data):
        def goal(d):
            target = Target(**d["target"]) if d.get("target") else None
            return ParsedGoal(text=d["text"], target=target, children=[goal(c) for c in d["children"]])

        def section(d):
            return ParsedSection(
                title=d["title"],
                level=d["level"],
                description=d["description"],
                goals=[goal(g) for g in d["goals"]],
                children=[section(c) for c in d["children"]],
                department=d.get("department", ""),
                unit=d.get("unit", ""),
                partners=d.get("partners", []),
            )

        return cls(title=data["title"], intro=data["intro"], sections=[section(s) for s in data["sections"]])


def build_tree(lines, *, title_level=1):
    """Turn Heading / Item / Prose lines into a ParsedPlan.

    The first heading at `title_level` before any section is the plan's title; prose before the first
    section is its introduction. Goals before any heading go into a section named after the plan.
    """
    plan = ParsedPlan()
    stack: list[ParsedSection] = []  # open sections, outermost first
    goal_stack: list[ParsedGoal] = []  # open goals of the current section, by depth

    def current_section():
        if not stack:
            section = ParsedSection(title=plan.title or "", level=title_level + 1)
            plan.sections.append(section)
            stack.append(section)
        return stack[-1]

    for line in lines:
        if isinstance(line, Heading):
            goal_stack = []
            if line.level <= title_level and not plan.title and not plan.sections:
                plan.title = line.text
                continue
            level = max(line.level, title_level + 1)
            while stack and stack[-1].level >= level:
                stack.pop()
            section = ParsedSection(title=line.text, level=level)
            (stack[-1].children if stack else plan.sections).append(section)
            stack.append(section)
        elif isinstance(line, Item):
            section = current_section()
            goal = ParsedGoal(text=line.text, target=suggest_target(line.text))
            depth = min(line.depth, len(goal_stack))
            del goal_stack[depth:]
            (goal_stack[-1].children if goal_stack else section.goals).append(goal)
            goal_stack.append(goal)
        elif isinstance(line, Prose):
            goal_stack = []
            if stack:
                stack[-1].description.append(line.text)
            else:
                plan.intro.append(line.text)
    return plan
