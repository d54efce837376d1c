"""Documentation of the codes raised while reading and validating files.

The load stage (L1xx) and the model stage (S2xx) raise these; `site-builder
new` raises N4xx; acknowledgements that match nothing are F399.
"""

from ..errors import WARNING
from .registry import document

document("L101", "文件不是 UTF-8 编码", explanation="""
内容文件必须保存为 UTF-8 编码。Windows 记事本等编辑器有时保存为 GBK（ANSI），其中的中文会读成乱码。""",
         wrong="用记事本“另存为”时编码选了“ANSI”。",
         right="用记事本或 WPS 打开，“另存为”，编码选“UTF-8”。")
document("L102", "文件是空的", explanation="文件里没有任何内容。空文件不能生成网页。",
         wrong="（空文件）", right="kind: project-evaluation\nyear: 2024\n…")
document("L103", "YAML 格式错误", explanation="""
文件不符合 YAML 的写法，无法读取。最常见的原因：冒号后面没有空格；同一层的项没有对齐；
值里含有逗号、冒号加空格、# 等符号却没有加引号；引号或括号没有闭合；值以 & * ! | > @ ` % 或单独一个 - 开头却没有加引号
（YAML 把它们当作引用、标记、多行文字或列表的符号）。记录里也不用 & 和 * 引用别处的内容，请直接写出。""",
         wrong='- {level3: 专项支出成本, target: 1,463.31, weight: 2}',
         right='- {level3: 专项支出成本, target: "1,463.31", weight: 2}')
document("L104", "缩进里有制表符（Tab）", explanation="YAML 只能用空格缩进，Tab 会让文件无法读取。",
         wrong="funds:\n\ttotal: {…}", right="funds:\n  total: {…}")
document("L110", "YAML 里用了中文输入法的全角符号", explanation="""
用中文输入法录入时，容易把 YAML 要用的英文符号打成全角的：键后面的冒号“：”、花括号里分隔各项的逗号“，”、
引号“ ”、括号｛ ｝［ ］【 】，以及缩进里或冒号后面的全角空格。检查会指出是哪个字符、在哪一行哪一列，
并给出改好的这一行；同一文件里的其他错误也一并列出。值里的中文标点是正常的文字，不受影响，
例如“项目: 其中：当年财政拨款”没有问题。从网页、微信或 Word 复制来的看不见的字符——零宽空格（U+200B 等）、
字节顺序标记（U+FEFF），以及缩进里、键的冒号前后的不换行空格（U+00A0）——也在这里指出。""",
         wrong="department：岳阳市教育科学技术研究院\ntotal: {initial: 50，annual: 50}",
         right="department: 岳阳市教育科学技术研究院\ntotal: {initial: 50, annual: 50}")
document("L105", "键重复出现", explanation="""
同一层里同一个键写了两次。YAML 会悄悄只保留后一个，前一个值就丢了，所以这里当作错误。""",
         wrong="project: 高三复习迎考\nproject: 基础课程改革", right="project: 高三复习迎考")
document("L106", "Markdown 文档的信息块缺失或没有结束", explanation="""
Markdown 文档（报告、总结、计划、机构概况）以 --- 开头的信息块开始，再用一行 --- 结束，然后才是正文。""",
         wrong="title: 2023年度绩效自评报告\n\n## 一、单位基本情况",
         right="---\nkind: report\nyear: 2023\ntitle: 2023年度绩效自评报告\n---\n\n## 一、单位基本情况")
document("L107", "文件最外层不是“键: 值”", explanation="记录文件的第一层必须是“键: 值”的形式（如 kind、year），不能是列表或一段文字。",
         wrong="- kind: project-evaluation", right="kind: project-evaluation")
document("L108", "文件无法读取", explanation="文件不存在、没有读取权限，或被其他程序占用。",
         wrong="（文件被其他程序锁定）", right="关闭占用文件的程序后重试。")
document("L109", "找不到内容文件夹或站点设置", explanation="站点文件夹里应当有 content/ 和 content/site.yaml。",
         wrong="site-builder build --site 错误的文件夹", right="site-builder build --site .")

document("S201", "缺少必填项", explanation="这种记录必须写的项没有写，例如项目表的 project、funds、indicators、total。",
         wrong="kind: project-evaluation\nyear: 2024", right="kind: project-evaluation\nyear: 2024\nproject: 高三复习迎考\n…")
document("S202", "不认识的项", explanation="""
写了这一层没有的项，多半是拼错了键名，这一项的内容不会出现在网页上。提示中会给出最接近的正确写法。""",
         wrong="  prepard_by: 卢彦军", right="  prepared_by: 卢彦军")
document("S203", "类型不对", explanation="应当写一段文字的地方写成了列表或映射，或者反过来。",
         wrong="project:\n  - 高三复习迎考", right="project: 高三复习迎考")
document("S204", "值的格式不对", explanation="""
年度、日期、网页文件名（slug）、顺序等有固定格式；版式（layout）要写已有版式的 id（site-builder new --list 列出全部版式），
或写 layout: grid 逐格照录。""",
         wrong="date: 2024年9月11日", right="date: 2024-09-11")
document("S205", "网页文件名重复", explanation="同一年度的两份记录用了同一个 slug，会写到同一个网页，后一份会覆盖前一份。",
         wrong="slug: gaosan（两份记录都写）", right="slug: gaosan 与 slug: gaosan-2")
document("S206", "不认识的记录类型", explanation="kind 只能是 project-evaluation、department-evaluation（YAML），或 report、summary、plan、organization（Markdown）。",
         wrong="kind: project", right="kind: project-evaluation")
document("S207", "引用的文档不存在", explanation="2021 年版式的 operation_documents 写的是 content/ 下文档的路径（不带 .md）。",
         wrong="operation_documents: [2021/总结]", right="operation_documents: [2021/work-summary]")
document("S208", "找不到主题文件夹", explanation="site.yaml 里 theme_dir 写的自定义主题文件夹不存在。",
         wrong="theme_dir: them", right="theme_dir: theme")
document("S212", "同一项目同一年度有两张项目表", explanation="""
同一年度里有两份项目支出绩效自评表写的是同一个项目支出名称（project），网页文件名（slug）却不同，两张都会公开。
常见原因是复制了一份记录改了 slug 当作草稿或备份。一个项目一年只有一张签字的自评表：请删除副本；
两张确实是不同的表（原表就印着相同的名称）时，照原表公开，并在其中一份记录里确认这个问题（acknowledgements）。""",
         wrong="content/2023/projects/gaosan-fuxi-yingkao.yaml 与 content/2023/projects/gaosan-2.yaml（project 都是 高三复习迎考）",
         right="只保留 content/2023/projects/gaosan-fuxi-yingkao.yaml")
document("S211", "版式文件写错了", explanation="""
站点 layouts/ 文件夹中的版式文件（以及程序自带的版式）描述一种表格印出来的样子：表头、各部分、各行各列和表尾。
版式文件里有不认识的项、缺少 id 或 kind、列的作用（role）写错、类型（type）写错时，这个版式不能使用，
用它的记录也不能生成。提示中会给出最接近的正确写法。""",
         wrong="blocks:\n  - key: funds\n    type: tabel", right="blocks:\n  - key: funds\n    type: table")
document("T501", "主题模板有语法错误", explanation="自定义主题里的 Jinja2 模板写错了，网站无法生成。",
         wrong="{{ record.title }", right="{{ record.title }}")
document("T502", "找不到主题模板", explanation="自定义主题引用了不存在的模板，或把模板改了名。",
         wrong='{% include "header.htm" %}', right='{% include "header.html" %}')
document("T503", "模板用到了不存在的数据", explanation="模板里的变量名写错了，或这一页没有这项数据。",
         wrong="{{ record.titel }}", right="{{ record.title }}")
document("N401", "新建记录缺少参数", explanation="site-builder new 需要类型、年度（机构概况除外），项目表还需要项目名称。",
         wrong="site-builder new project-evaluation", right="site-builder new project-evaluation 2024 高三复习迎考")
document("N402", "要新建的记录已经存在", explanation="site-builder new 不会覆盖已有的文件。",
         wrong="（再次新建同名项目）", right="直接编辑已有文件，或用 --slug 另起文件名。")
document("F399", "确认的问题不存在", severity=WARNING, explanation="""
记录的 acknowledgements 确认了某个问题，但检查时没有发现这个问题：可能已经改正，或者确认写的位置变了。
确认可以按问题所在的格子写（at: funds/total/annual，由 site-builder acknowledge 写入，增删别处的行不受影响），
也可以按旧的写法写行号（line: 40，行号一变就对不上）。留着不用的确认会让人误以为表格有问题。""",
         wrong="acknowledgements:\n  - {code: F306, line: 40, reason: …}   # 第 40 行已没有 F306",
         right="（删除这条确认，或运行 site-builder acknowledge 重新写按格子记录的确认）")

# Nothing is lost quietly (issue 13): what keeps a file from being read or published is an error.
document("L111", "文件里有看不见的控制字符", explanation="""
文件里有编辑器里看不见的控制字符：Word“另存为”纯文本时，手动换行符（Shift+回车）变成 U+000B、分页符变成 U+000C；
老式编辑器在文件末尾写 Ctrl+Z（U+001A）；从网页复制的文字可能带着行分隔符（U+2028）。YAML 读不了它们，
Markdown 里它们后面的标题不再是标题，公开的网页里也会带上它们，订阅（feed.xml）等 XML 文件不允许有它们，
订阅软件会因此读不了整个订阅，所以当作错误，并指出在哪一行哪一列。YAML 里写成 "\\u000b" 这样的转义也一样。
文字方向控制符（U+202A–U+202E、U+2066–U+2069）也是错误：它们让后面的文字倒着或换了顺序显示，
网页上看到的数字、名字与文件里的不同。""",
         wrong="### （二）主要工作职责   （行首有一个看不见的分页符 U+000C）",
         right="### （二）主要工作职责")
document("L112", "记录文件的名字不对，不会读取", explanation="""
content/ 里只读取以 .yaml、.yml、.md 结尾的文件。记事本保存时常常在后面加上 .txt（“报告.md.txt”，
资源管理器不显示扩展名时看起来就是“报告.md”），文件名末尾多了空格或点，或写成了 .markdown，
这个文件就不会读取，其中的记录也就不会公开。内容是一份记录（以 --- 或 kind: 开头）的 .txt 文件也一样。
这是错误：网站不生成，免得悄悄少公开一份记录。""",
         wrong="content/2023/self-evaluation-report.md.txt",
         right="content/2023/self-evaluation-report.md")
document("L113", "文件名在 Windows 上不能用", severity=WARNING, explanation="""
记录文件的名字是 Windows 的保留名（con、prn、aux、nul、com1–com9、lpt1–lpt9，不论扩展名），或含有 Windows 不允许的字符
（< > : " | ? * \\ 和控制字符）。在别的系统上建的这种文件照常读取和公开，但在 Windows 电脑上无法打开、复制，
从版本库检出时也会出错，用 Windows 的同事就看不到、改不了这份记录。""",
         wrong="content/2023/projects/con.yaml", right="content/2023/projects/gaosan-fuxi-yingkao.yaml")
document("L120", "内容文件夹无法读取", explanation="""
content/ 里的某个文件夹没有读取权限（或磁盘出错），里面的记录都读不到。如果照常生成，这些记录的网页就会从网站上消失，
所以这是错误：网站不生成，原来的输出文件夹保持不变。""",
         wrong="chmod 000 content/2023/projects   # 或在 Windows 的“安全”选项卡里去掉了读取权限",
         right="chmod 755 content/2023/projects")
document("L121", "符号链接指向站点文件夹以外", explanation="""
content/ 里的记录文件（或文件夹）是一个符号链接（快捷方式），指向站点文件夹以外的地方。网站只公开站点文件夹里的内容：
链接到别处的文件可能被别人改动，也可能把不该公开的文件发布出去，所以不会读取。""",
         wrong="content/2023/gaosan.yaml -> /home/share/gaosan.yaml",
         right="把 gaosan.yaml 本身复制到 content/2023/，删除链接")
document("L122", "符号链接形成循环", explanation="""
content/ 里的符号链接（快捷方式）直接或间接指向它自己或它所在的文件夹，顺着它会无穷无尽地读下去。""",
         wrong="content/2023/loop -> .   （指向所在的文件夹）",
         right="删除这个链接")
document("L123", "符号链接指向不存在的文件", explanation="""
content/ 里的符号链接（快捷方式）指向的文件或文件夹已经不存在（被删除或移动了），它代表的记录读不到。""",
         wrong="content/2023/gaosan.yaml -> ../old/gaosan.yaml   （old 文件夹已删除）",
         right="删除链接，把记录文件本身放在 content/2023/ 里")
document("L124", "不认识的 YAML 标记", explanation="""
YAML 里以 ! 开头的写法（如 !foo、!!int、!!python/…）是“标记”，要求程序按某种方式理解这个值。记录里的值一律照原样保存为文字，
标记会被悄悄忽略，值可能与编辑者的本意不同，所以当作错误。值本身以 ! 开头时要加引号。""",
         wrong="note: !important 本项目已结题", right="note: \"!important 本项目已结题\"")
document("S209", "网页文件名不能使用", explanation="""
记录的网页文件名（slug，没写时由标题的拼音生成）不能是网站自己使用的名字（index、404、assets、archive、archives、downloads、
search、catalogue、feed、sitemap），否则会覆盖年度列表页等网页或被它们覆盖；也不能是 Windows 的保留名（con、prn、aux、nul、
com1–com9、lpt1–lpt9，不分大小写），不能以点或空格结尾，文件名不能超过 100 个字符、网页地址不能超过 240 个字符，
否则网站在 Windows 上无法复制或保存。这个问题不能用 acknowledgements 确认。""",
         wrong="slug: index", right="slug: bumen-zhengti-zhichu-jixiao-zipingbaogao")
document("S210", "记录没有生成网页", explanation="""
生成网站的最后一步核对：content/ 中有多少份记录，就要有多少个记录网页。某份记录没有网页（或它的网页会被别的网页覆盖）
而之前没有任何问题说明原因时，网站不生成，列出这份记录。这个问题不能用 acknowledgements 确认。""",
         wrong="（生成过程中记录的网页被别的网页覆盖）", right="（每份记录一个网页：给记录另写一个 slug）")
document("T504", "主题里的文件无法读取", explanation="""
自定义主题文件夹里有读不出来的文件：指向不存在文件的符号链接（快捷方式）、形成循环的链接，或没有读取权限的文件。""",
         wrong="theme/assets/extra.css -> /mnt/u盘/extra.css   （U 盘已拔出）",
         right="把 extra.css 本身复制到 theme/assets/")
document("D801", "磁盘已满", explanation="""
写入文件（新建或导入的记录、归档、缓存）时磁盘空间用完了。生成网站时写不进输出文件夹另见 P802：原来的输出文件夹保持不变。""",
         wrong="site-builder archive 2023 --zip   # U 盘只剩几 KB", right="清理磁盘后重新运行")
document("D802", "没有权限写入，或磁盘是只读的", explanation="""
要写入的文件夹（content/、archives/ 等）没有写入权限，或在只读的磁盘（光盘、只读挂载的网络盘）上。
生成网站时写不进输出文件夹另见 P802。""",
         wrong="site-builder new plan 2024   # content/ 属于另一个用户", right="请管理员给 content/ 写入权限后重新运行")
