"""Documentation of the codes of writing the output folder (P8xx), for `site-builder rules`.

Imported by the check stage so that every code an editor can meet is explained.
"""

from ..check.registry import document
from ..errors import WARNING

document("P801", "输出文件夹只能逐个文件更新", severity=WARNING, explanation="""
site-builder build 先在输出文件夹旁边生成完整的新网站，再一步换入，所以任何时候打开的都是完整的旧网站或完整的新网站。
输出文件夹是挂载点（或与上一级文件夹不在同一个文件系统上）时不能整体换入，只能逐个文件更新：
网站照常生成，但更新的那一瞬间新旧网页会混在一起，生成中途被打断时要再运行一次。""",
         wrong="mount /dev/sdb1 /srv/site/build\nsite-builder build --out /srv/site/build",
         right="mount /dev/sdb1 /srv/site\nsite-builder build --out /srv/site/build")
document("P802", "无法写入输出文件夹", explanation="""
生成网站时写不进输出文件夹（权限不够、磁盘已满等）。这时不会换入新网站，原来的输出文件夹保持不变。
按提示检查权限或磁盘空间后重新生成。""",
         wrong="（build/ 中的文件属于另一个用户，不能读取）",
         right="chown -R 生成网站的用户 build\nsite-builder build")
